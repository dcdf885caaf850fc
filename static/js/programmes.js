/* Programme page map: the participating cities over the locally served world outline.
   No tiles or other resources are fetched from outside. */
(function () {
  "use strict";
  var script = document.currentScript;
  var staticRoot = script ? script.src.replace(/js\/programmes\.js(\?.*)?$/, "") : "/static/";

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value; // Leaflet puts strings in as HTML: give it text
    return span;
  }

  function setUp(el) {
    if (typeof L === "undefined") return;
    var data = JSON.parse(document.getElementById(el.dataset.points).textContent);
    var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 10, scrollWheelZoom: false });
    map.attributionControl.addAttribution("Natural Earth");
    fetch(staticRoot + "vendor/world-atlas/countries-110m.geojson")
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (world) {
        L.geoJSON(world, {
          interactive: false,
          style: { color: "#9aa8b6", weight: 0.7, fillColor: "#eef1e6", fillOpacity: 1 }
        }).addTo(map).bringToBack();
      })
      .catch(function () { /* the points still show without the outline */ });
    var markers = data.map(function (p) {
      var link = document.createElement("a");
      link.href = el.dataset.detailUrl.replace("__slug__", encodeURIComponent(p.slug));
      link.textContent = p.name; // text, never HTML
      return L.circleMarker([p.lat, p.lon], {
        radius: 6, color: "#0b6e4f", weight: 2, fillColor: "#e07a1f", fillOpacity: 0.9
      }).bindPopup(link).bindTooltip(text(p.name));
    });
    var group = L.featureGroup(markers).addTo(map);
    if (markers.length) {
      map.fitBounds(group.getBounds(), { padding: [20, 20], maxZoom: 5 });
    } else {
      map.setView([20, 0], 1);
    }
  }

  function start() {
    document.querySelectorAll("[data-programme-map]").forEach(setUp);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
