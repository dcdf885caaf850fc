/* City directory maps: Leaflet over a locally served world outline (Natural Earth 110m).
   No tiles or other resources are fetched from outside. Works with and without HTMX:
   maps inside swapped-in results are set up after each swap and removed before the next. */
(function () {
  "use strict";

  var script = document.currentScript;
  var staticRoot = script ? script.src.replace(/js\/directory\.js(\?.*)?$/, "") : "/static/";
  var WORLD_URL = staticRoot + "vendor/world-atlas/countries-110m.geojson";
  var worldPromise = null;

  function world() {
    if (!worldPromise) {
      worldPromise = fetch(WORLD_URL).then(function (r) {
        if (!r.ok) throw new Error("world outline " + r.status);
        return r.json();
      });
    }
    return worldPromise;
  }

  function baseMap(el, options) {
    var map = L.map(el, Object.assign({ worldCopyJump: true, minZoom: 1, maxZoom: 12 }, options || {}));
    map.attributionControl.addAttribution("Natural Earth");
    world().then(function (data) {
      L.geoJSON(data, {
        interactive: false,
        style: { color: "#9aa8b6", weight: 0.7, fillColor: "#eef1e6", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    }).catch(function () { /* the points still show without the outline */ });
    return map;
  }

  function cityLink(template, slug, name) {
    var a = document.createElement("a");
    a.href = template.replace("__slug__", encodeURIComponent(slug));
    a.textContent = name; // text, never HTML: names come from data
    return a;
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value; // Leaflet puts strings in as HTML: give it text
    return span;
  }

  function resultsMap(el) {
    var map = baseMap(el).setView([20, 0], 2);
    var note = el.parentNode.querySelector("[data-map-note]");
    fetch(el.dataset.pointsUrl, { headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
        var markers = data.points.map(function (p) {
          return L.marker([p[0], p[1]], { title: p[2], alt: p[2] })
            .bindPopup(function () { return cityLink(el.dataset.detailUrl, p[3], p[2]); });
        });
        cluster.addLayers(markers);
        map.addLayer(cluster);
        if (markers.length) map.fitBounds(cluster.getBounds(), { padding: [20, 20], maxZoom: 9 });
        if (note) {
          note.textContent = data.truncated
            ? el.dataset.labelMore.replace("%(shown)s", data.points.length.toLocaleString())
                .replace("%(count)s", data.count.toLocaleString())
            : "";
        }
      })
      .catch(function () { if (note) note.textContent = el.dataset.labelFailed; });
    return map;
  }

  function locationMap(el) {
    var at = [parseFloat(el.dataset.lat), parseFloat(el.dataset.lon)];
    var map = baseMap(el, { scrollWheelZoom: false }).setView(at, 5);
    L.circleMarker(at, { radius: 7, color: "#0b6e4f", weight: 2, fillColor: "#e07a1f", fillOpacity: 0.9 })
      .bindTooltip(text(el.dataset.name), { permanent: false })
      .addTo(map);
    return map;
  }

  function setUp(root) {
    if (typeof L === "undefined") return;
    (root || document).querySelectorAll("[data-city-map]").forEach(function (el) {
      if (el._cityMap) return;
      el._cityMap = el.dataset.pointsUrl ? resultsMap(el) : locationMap(el);
    });
  }

  function tearDown(root) {
    root.querySelectorAll("[data-city-map]").forEach(function (el) {
      if (el._cityMap) { el._cityMap.remove(); el._cityMap = null; }
    });
  }

  document.addEventListener("DOMContentLoaded", function () { setUp(document); });
  document.addEventListener("htmx:beforeSwap", function (e) { tearDown(e.detail.target); });
  document.addEventListener("htmx:afterSettle", function (e) { setUp(e.detail.target); });
})();
