// The deep-zoom viewer of exhibit pages. Each figure with a `data-iiif` attribute (the image's
// IIIF info.json) gets an OpenSeadragon viewer over its tiles. The page's own buttons drive it,
// so they carry translated labels and work with Enter and Space; the plain image stays in the
// page until the tiles have opened, and comes back if they cannot.
"use strict";

(function () {
  if (typeof OpenSeadragon !== "function") {
    return;
  }
  document.querySelectorAll("figure[data-iiif]").forEach(function (figure, n) {
    var image = figure.querySelector("img");
    var tools = figure.querySelector(".viewer-tools");
    var status = figure.querySelector(".viewer-zoom");
    if (!image || !tools) {
      return;
    }
    var stage = document.createElement("div");
    stage.className = "viewer-stage";
    stage.id = "viewer-" + (n + 1);
    stage.setAttribute("role", "group");
    stage.setAttribute("aria-label", image.alt);
    if (image.lang) {
      stage.lang = image.lang;
    }
    // The policy forbids style attributes in the page, not styles set from a script.
    stage.style.aspectRatio = image.getAttribute("width") + " / " + image.getAttribute("height");
    stage.hidden = true;
    image.insertAdjacentElement("afterend", stage);

    // The toolbar goes with the image into full-page mode, which hides the rest of the page:
    // without it, nothing would be left to leave that mode by.
    tools.id = "viewer-tools-" + (n + 1);
    var viewer = OpenSeadragon({
      element: stage,
      toolbar: tools.id,
      tileSources: figure.dataset.iiif,
      showNavigationControl: false,
      crossOriginPolicy: false,
      visibilityRatio: 1,
      minZoomImageRatio: 1,
      maxZoomPixelRatio: 2,
      gestureSettingsMouse: { scrollToZoom: false },
    });
    var act = {
      "zoom-in": function () { viewer.viewport.zoomBy(1.5); },
      "zoom-out": function () { viewer.viewport.zoomBy(1 / 1.5); },
      "home": function () { viewer.viewport.goHome(); },
      "full-page": function () { viewer.setFullPage(!viewer.isFullPage()); },
    };
    // Escape leaves full-page mode too, and the focus stays on the button that entered it.
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && viewer.isFullPage()) {
        viewer.setFullPage(false);
        var button = tools.querySelector("button[data-action='full-page']");
        if (button) {
          button.focus();
        }
      }
    });
    tools.querySelectorAll("button[data-action]").forEach(function (button) {
      button.addEventListener("click", function () {
        var action = act[button.dataset.action];
        if (action) {
          action();
          viewer.viewport.applyConstraints();
          button.focus();
        }
      });
    });
    viewer.addHandler("open", function () {
      image.hidden = true;
      stage.hidden = false;
      tools.hidden = false;
      var hint = figure.querySelector(".viewer-hint");
      if (hint) {
        hint.hidden = false;
      }
      figure.classList.add("zoomable");
    });
    viewer.addHandler("open-failed", function () {
      viewer.destroy();
      stage.remove();
    });
    if (status) {
      // Said once the movement has settled, not at every frame of it.
      viewer.addHandler("animation-finish", function () {
        if (!viewer.world.getItemCount()) {
          return;
        }
        var zoom = viewer.world.getItemAt(0).viewportToImageZoom(viewer.viewport.getZoom(true));
        status.textContent = status.dataset.label.replace("{percent}", String(Math.round(zoom * 100)));
      });
    }
  });
})();
