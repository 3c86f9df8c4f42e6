// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("[data-detect-timezone]")) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && (!input.value || input.value === "UTC")) input.value = zone;
  }
  for (const input of document.querySelectorAll("[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
  // The header's menu is a <details>: it opens without JavaScript; with it, Escape and a tap
  // elsewhere close it, as people expect of a menu.
  const menu = document.querySelector("header.site details.menu");
  if (menu) {
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && menu.open) {
        menu.open = false;
        menu.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", (event) => {
      if (menu.open && !menu.contains(event.target)) menu.open = false;
    });
  }
  // Links back (the installed app's header, the offline pages): back where the member came
  // from when there is such a page, else where the link points.
  for (const link of document.querySelectorAll("[data-back]")) {
    link.addEventListener("click", (event) => {
      if (history.length > 1) {
        event.preventDefault();
        history.back();
      }
    });
  }
  // A page the service worker showed from the device: once the connection is back, say so.
  const offlineNote = document.querySelector(".offline-note");
  if (offlineNote) {
    window.addEventListener("online", () => {
      const reload = document.createElement("a");
      reload.href = location.href;
      reload.textContent = "Show the latest";
      offlineNote.textContent = "You’re back online.";
      offlineNote.append(" ", reload);
    });
  }
});

// The service worker: installable app, pages and photos kept for offline use, Web Push.
// A browser without it, or one that refuses it, gets the same site.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
  });
}
