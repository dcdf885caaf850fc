/* Partnership maps: the cities and the lines between partners, drawn with Leaflet over the
   locally served world outline (Natural Earth 110m). Nothing is fetched from outside.

   Data (embedded with json_script, or fetched from the registry's map.json):
     {count, points: [[lat, lon, name, slug]], lines: [[id, i, j, status, confirmed]], lines_drawn}
   Lines are drawn on a canvas (thousands stay smooth); cities are clustered when there are many
   (Leaflet.markercluster, if the page loads it). Names come from data: they go into the page as
   text nodes, never as HTML. */
(function () {
  "use strict";

  var script = document.currentScript;
  var staticRoot = script ? script.src.replace(/partnerships\/partnership-map\.js(\?.*)?$/, "") : "/static/";
  var WORLD_URL = staticRoot + "vendor/world-atlas/countries-110m.geojson";
  var COLOURS = { active: "#0b6e4f", proposed: "#1d3557", dormant: "#e07a1f", ended: "#8a94a0", unknown: "#6c7686" };
  var CLUSTER_FROM = 150; // points; fewer are drawn one by one

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value; // Leaflet puts strings in as HTML: give it text
    return span;
  }

  function link(href, label) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    return a;
  }

  function baseMap(el) {
    var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 10, scrollWheelZoom: false, preferCanvas: true })
      .setView([20, 0], 2);
    map.attributionControl.addAttribution("Natural Earth");
    fetch(WORLD_URL).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, {
        interactive: false,
        style: { color: "#9aa8b6", weight: 0.7, fillColor: "#eef1e6", fillOpacity: 1 }
      }).addTo(map).bringToBack();
    }).catch(function () { /* the lines still show without the outline */ });
    return map;
  }

  function draw(el, data) {
    var map = baseMap(el);
    var canvas = L.canvas({ padding: 0.5 });
    var focus = el.dataset.focus || "";
    var bounds = [];
    (data.lines || []).forEach(function (line) {
      var a = data.points[line[1]], b = data.points[line[2]];
      var confirmed = line[4] === 1;
      var colour = confirmed ? (COLOURS[line[3]] || COLOURS.active) : COLOURS.unknown;
      var popup = link(el.dataset.detailUrl.replace("/0/", "/" + line[0] + "/"), a[2] + " – " + b[2]);
      L.polyline([[a[0], a[1]], [b[0], b[1]]], {
        renderer: canvas,
        color: colour,
        weight: 2,
        opacity: confirmed ? 0.85 : 0.6,
        dashArray: confirmed && line[3] === "active" ? null : "5 5"
      }).bindPopup(popup).addTo(map);
    });
    var many = data.points.length >= CLUSTER_FROM && typeof L.markerClusterGroup === "function";
    var layer = many ? L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false }) : L.layerGroup();
    data.points.forEach(function (p) {
      var popup = function () { return link(el.dataset.cityUrl.replace("__slug__", encodeURIComponent(p[3])), p[2]); };
      var marker = many
        ? L.marker([p[0], p[1]], { title: p[2], alt: p[2] })
        : L.circleMarker([p[0], p[1]], {
            renderer: canvas,
            radius: p[3] === focus ? 7 : 4,
            color: "#1d3557",
            weight: 1,
            fillColor: p[3] === focus ? "#e07a1f" : "#fff",
            fillOpacity: 1
          }).bindTooltip(text(p[2]));
      layer.addLayer(marker.bindPopup(popup));
      bounds.push([p[0], p[1]]);
    });
    layer.addTo(map);
    if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 6 });
    var note = el.parentNode.querySelector("[data-map-note]");
    if (note && !data.lines_drawn && data.count) {
      note.textContent = (el.dataset.labelNoLines || "")
        .replace("%(count)s", data.count.toLocaleString())
        .replace("%(max)s", (parseInt(el.dataset.linesMax, 10) || 0).toLocaleString());
    }
    return map;
  }

  function setUp() {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-partnership-map]").forEach(function (el) {
      if (el.dataset.sourceId) {
        var source = document.getElementById(el.dataset.sourceId);
        draw(el, source ? JSON.parse(source.textContent) : { points: [], lines: [] });
        return;
      }
      fetch(el.dataset.url, { headers: { Accept: "application/json" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) { draw(el, data); })
        .catch(function () {
          var note = el.parentNode.querySelector("[data-map-note]");
          if (note) note.textContent = el.dataset.labelFailed || "";
        });
    });
  }

  // Deferred scripts run before DOMContentLoaded, in document order: waiting for it lets a
  // page load this script before Leaflet (the profile's section does).
  if (document.readyState === "complete") setUp();
  else document.addEventListener("DOMContentLoaded", setUp);
})();
