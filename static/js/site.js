/* Behaviour every page shares. No inline script anywhere: the Content-Security-Policy allows
   scripts from this site only, so pages attach behaviour through data attributes here. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
