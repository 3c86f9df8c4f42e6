// More memories as you scroll: when the "Older memories" link comes near, its page is fetched
// and its months join this one (a month that carries on joins the month already shown). The
// address stays the timeline's: a reload starts again at the newest. Without JavaScript the
// link simply opens the next page.
const memories = document.querySelector("#memories");

function watch(more) {
  if (!memories || !more || !("IntersectionObserver" in window)) return;
  const observer = new IntersectionObserver(
    async (entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      observer.disconnect();
      more.setAttribute("aria-busy", "true");
      let next;
      try {
        next = await olderPage(more.href);
      } catch {
        more.removeAttribute("aria-busy"); // the link still works by hand
        return;
      }
      watch(append(next, more));
    },
    { rootMargin: "0px 0px 1000px 0px" },
  );
  observer.observe(more);
}

async function olderPage(url) {
  const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (!response.ok) throw new Error(`The next page answered ${response.status}`);
  return new DOMParser().parseFromString(await response.text(), "text/html");
}

// Adds the next page's memories; returns the link to the page after it, if any.
function append(next, more) {
  const added = [];
  for (const month of next.querySelectorAll("#memories > .month-group")) {
    const shown = memories.querySelectorAll(".month-group");
    const last = shown[shown.length - 1];
    if (last && last.dataset.month === month.dataset.month) {
      const tiles = [...month.querySelectorAll(".mosaic > .tile")];
      last.querySelector(".mosaic").append(...tiles);
      added.push(...tiles);
    } else {
      memories.append(month);
      added.push(month);
    }
  }
  for (const root of added) {
    document.dispatchEvent(new CustomEvent("rw:content-added", { detail: { root } }));
  }
  const older = next.querySelector("a[data-more]");
  if (!older) {
    more.closest(".older").remove();
    return null;
  }
  more.href = older.getAttribute("href");
  more.removeAttribute("aria-busy");
  return more;
}

watch(document.querySelector("a[data-more]"));
