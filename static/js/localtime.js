/* Moments in the reader's own time zone: <time datetime="…" data-local-time> elements are
   rendered by the server in its time zone (named after the time) and rewritten here with the
   browser's zone and the page's language. Without this script the server's text stays. */
(function () {
  "use strict";

  function rewrite() {
    if (typeof Intl === "undefined" || !Intl.DateTimeFormat) return;
    var lang = document.documentElement.lang || undefined;
    var format;
    try {
      format = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short", timeZoneName: "short" });
    } catch (error) {
      return;
    }
    document.querySelectorAll("time[data-local-time]").forEach(function (el) {
      var moment = new Date(el.getAttribute("datetime"));
      if (isNaN(moment.getTime())) return;
      el.title = el.textContent.trim(); // the server's rendering stays at hand
      el.textContent = format.format(moment);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", rewrite);
  else rewrite();
})();
