// Small enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  for (const input of document.querySelectorAll("[data-detect-timezone]")) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && (!input.value || input.value === "UTC")) input.value = zone;
  }
  for (const input of document.querySelectorAll("[data-select-on-focus]")) {
    input.addEventListener("focus", () => input.select());
  }
});
