/* Partnership maps: a line between the two cities of each partnership, drawn with Leaflet over
   the locally served world outline (Natural Earth 110m). Nothing is fetched from outside. */
(function () {
  "use strict";

  var script = document.currentScript;
  var staticRoot = script ? script.src.replace(/partnerships\/partnership-map\.js(\?.*)?$/, "") : "/static/";
  var WORLD_URL = staticRoot + "vendor/world-atlas/countries-110m.geojson";
  var COLOURS = { active: "#0b6e4f", proposed: "#1d3557", dormant: "#e07a1f", ended: "#8a94a0" };

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value; // Leaflet puts strings in as HTML: give it text
    return span;
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.linesId);
    var lines = source ? JSON.parse(source.textContent) : [];
    var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 10, scrollWheelZoom: false })
      .setView([20, 0], 2);
    map.attributionControl.addAttribution("Natural Earth");
    fetch(WORLD_URL).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, {
        interactive: false,
        style: { color: "#9aa8b6", weight: 0.7, fillColor: "#eef1e6", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    }).catch(function () { /* the lines still show without the outline */ });
    var bounds = [];
    lines.forEach(function (line) {
      var a = [line.a[0], line.a[1]], b = [line.b[0], line.b[1]];
      var colour = COLOURS[line.status] || COLOURS.active;
      var link = document.createElement("a");
      link.href = el.dataset.detailUrl.replace("/0/", "/" + line.id + "/");
      link.textContent = line.a[2] + " – " + line.b[2]; // text, never HTML: names come from data
      L.polyline([a, b], { color: colour, weight: 2.5, opacity: 0.85, dashArray: line.status === "active" ? null : "6 6" })
        .bindPopup(link).addTo(map);
      [line.a, line.b].forEach(function (p) {
        L.circleMarker([p[0], p[1]], { radius: 4, color: colour, weight: 1, fillColor: "#fff", fillOpacity: 1 })
          .bindTooltip(text(p[2])).addTo(map);
      });
      bounds.push(a, b);
    });
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 });
  }

  function setUp() {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-partnership-map]").forEach(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
