// The photo viewer (PhotoSwipe): any [data-gallery] holding a[data-pswp-width] links opens as
// a swipeable, zoomable viewer. Without JavaScript the links go to the memory page.
const files = document.body.dataset;
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
let lightboxClass;

function addStylesheet() {
  if (document.querySelector("link[data-viewer-css]")) return;
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = files.photoswipeCss;
  link.dataset.viewerCss = "";
  document.head.append(link);
}

function registerExtras(lightbox) {
  lightbox.on("uiRegister", () => {
    const { ui } = lightbox.pswp;
    ui.registerElement({
      name: "caption",
      order: 9,
      isButton: false,
      appendTo: "root",
      onInit: (element, pswp) => {
        element.setAttribute("aria-live", "polite");
        pswp.on("change", () => {
          const link = pswp.currSlide.data.element;
          element.textContent = link?.dataset.caption || link?.querySelector("img")?.alt || "";
        });
      },
    });
    ui.registerElement({
      name: "original",
      order: 8,
      isButton: true,
      tagName: "a",
      title: "Full size",
      html: "Full size",
      onInit: (element, pswp) => {
        element.target = "_blank";
        element.rel = "noopener";
        pswp.on("change", () => {
          const original = pswp.currSlide.data.element?.dataset.original;
          element.hidden = !original;
          if (original) element.href = original;
        });
      },
    });
  });
}

async function bind(root) {
  const galleries = [...root.querySelectorAll("[data-gallery]:not([data-viewer])")];
  if (root.matches?.("[data-gallery]:not([data-viewer])")) galleries.unshift(root);
  if (galleries.length === 0) return;
  addStylesheet();
  lightboxClass ??= (await import(files.photoswipeLightbox)).default;
  for (const gallery of galleries) {
    gallery.dataset.viewer = "";
    const lightbox = new lightboxClass({
      gallery,
      children: "a[data-pswp-width]",
      pswpModule: () => import(files.photoswipe),
      showHideAnimationType: reducedMotion ? "none" : "zoom",
      bgOpacity: 1,
      // Room for the arrows and the caption on a wide screen; edge to edge on a phone.
      paddingFn: (viewport) =>
        viewport.x >= 640
          ? { top: 56, bottom: 64, left: 72, right: 72 }
          : { top: 0, bottom: 0, left: 0, right: 0 },
      closeTitle: "Close (Esc)",
      zoomTitle: "Zoom",
      arrowPrevTitle: "Previous photo",
      arrowNextTitle: "Next photo",
      errorMsg: "This photo could not be loaded.",
    });
    registerExtras(lightbox);
    lightbox.init();
  }
}

bind(document);
document.addEventListener("rw:content-added", (event) => bind(event.detail.root));
