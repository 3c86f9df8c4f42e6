// The memory form, enhanced (the form works without this file: it posts its photos as any
// multipart form does). Here: photos chosen or dropped show at once as thumbnails with a
// caption each, and can be removed and reordered (buttons for the keyboard, drag for a
// pointer) before saving; the first photo's date and place are proposed, aloud, beside their
// fields; the form is sent with XMLHttpRequest so each photo shows its own upload progress,
// and a refused form shows its errors in place, keeping the chosen photos. On the edit page,
// the saved photos move (buttons or drag) without reloading, and the new order is posted.
// Photos shared from the gallery wait above the form; leaving one out keeps what was typed.

function compose(page) {
  const form = page.querySelector("form[data-compose]");
  const input = page.querySelector('input[type="file"][name="photos"]');
  const zone = page.querySelector("[data-drop-zone]");
  const chosenList = page.querySelector("[data-chosen]");
  const savedList = page.querySelector("ol[data-sortable]");
  const announcer = page.querySelector("[data-announce]");
  const problem = form.querySelector("[data-form-problem]");
  const submit = form.querySelector("[data-submit]");
  const files = new Map(); // a chosen photo's card -> its File
  let cardsMade = 0;
  page.classList.add("scripted");

  const say = (text) => {
    announcer.textContent = "";
    // A fresh text node each time, so the same words are announced again.
    requestAnimationFrame(() => (announcer.textContent = text));
  };
  const showProblem = (text) => {
    problem.textContent = text;
    problem.hidden = !text;
  };

  // Choosing and dropping photos.
  zone.classList.add("enhanced");
  input.addEventListener("change", takeChosen);
  function takeChosen() {
    if (!input.files.length) return;
    add([...input.files]);
    // The cards hold the files now; the form sends them from there, in their order.
    input.value = "";
  }
  for (const target of [zone, chosenList]) {
    target.addEventListener("dragover", (event) => {
      if (![...event.dataTransfer.types].includes("Files")) return;
      event.preventDefault();
      zone.classList.add("dropping");
    });
    target.addEventListener("dragleave", () => zone.classList.remove("dropping"));
    target.addEventListener("drop", (event) => {
      if (!event.dataTransfer.files.length) return;
      event.preventDefault();
      zone.classList.remove("dropping");
      add([...event.dataTransfer.files]);
    });
  }

  function add(chosen) {
    const wasEmpty = files.size === 0;
    const photos = chosen.filter(isPhoto);
    const others = chosen.filter((file) => !isPhoto(file));
    showProblem(others.length ? `${others.map((f) => `“${f.name}”`).join(", ")}: not a photo.` : "");
    for (const file of photos) {
      const card = chosenCard(file);
      files.set(card, file);
      chosenList.append(card);
    }
    shown();
    if (photos.length) {
      const total = files.size;
      say(`${photos.length} ${plural(photos.length, "photo")} chosen, ${total} in all.`);
      if (wasEmpty && form.hasAttribute("data-propose")) propose(photos[0]);
    }
  }

  // With photos chosen, they lead and the box under them offers more.
  const title = zone.querySelector(".drop-title");
  const firstTitle = title.textContent;
  function shown() {
    chosenList.hidden = files.size === 0;
    page.classList.toggle("has-photos", files.size > 0);
    title.textContent = files.size || savedList ? "Add more photos" : firstTitle;
    number(chosenList);
  }

  function chosenCard(file) {
    cardsMade += 1;
    const card = element("li", { class: "photo-card" });
    const frame = element("div", { class: "photo-frame" });
    const img = element("img", { alt: file.name, draggable: "false" });
    img.src = URL.createObjectURL(file);
    img.addEventListener("load", () => card.classList.add("loaded"));
    // Browsers that cannot show HEIC say so instead of a broken image.
    img.addEventListener("error", () => {
      frame.classList.add("no-preview");
      frame.append(element("span", { class: "no-preview-name" }, file.name));
    });
    const progress = element("progress", { max: "100", value: "0", hidden: "" });
    frame.append(img, progress, element("span", { class: "drag-handle", "aria-hidden": "true" }));
    const id = `new-caption-${cardsMade}`;
    const label = element("label", { class: "visually-hidden", for: id });
    const caption = element("input", {
      id,
      class: "caption",
      maxlength: "300",
      placeholder: "Describe this photo",
      autocomplete: "off",
    });
    const tools = element("div", { class: "photo-tools" });
    tools.append(
      tool("move-earlier", "earlier", () => move(chosenList, card, -1, "move-earlier")),
      tool("move-later", "later", () => move(chosenList, card, 1, "move-later")),
      tool("remove", "remove", () => removeChosen(card)),
    );
    card.append(frame, label, caption, tools);
    return card;
  }

  function removeChosen(card) {
    const next = card.nextElementSibling || card.previousElementSibling;
    URL.revokeObjectURL(card.querySelector("img").src);
    files.delete(card);
    card.remove();
    shown();
    say(`Photo removed. ${files.size} ${plural(files.size, "photo")} chosen.`);
    (next?.querySelector(".remove") || input).focus();
  }

  // Moving a card one place, from its buttons; focus stays on the button pressed (or its
  // twin when the card reached an end).
  function move(list, card, step, kind) {
    const cards = [...list.children];
    const at = cards.indexOf(card);
    const to = at + step;
    if (to < 0 || to >= cards.length) return false;
    list.insertBefore(card, step < 0 ? cards[to] : cards[to].nextSibling);
    number(list);
    const other = kind === "move-earlier" ? "move-later" : "move-earlier";
    const button = card.querySelector(`.${kind}`);
    (visible(button) ? button : card.querySelector(`.${other}`)).focus();
    say(`Photo moved to place ${to + 1} of ${cards.length}.`);
    return true;
  }

  // The edit page's saved photos: Move earlier / later without reloading, then the order is
  // posted; Remove asks first.
  if (savedList) {
    for (const moveForm of savedList.querySelectorAll("form.photo-move")) {
      moveForm.addEventListener("submit", (event) => {
        event.preventDefault();
        const card = moveForm.closest(".photo-card");
        const step = event.submitter?.value === "earlier" ? -1 : 1;
        if (move(savedList, card, step, step < 0 ? "move-earlier" : "move-later")) {
          postOrder();
        }
      });
    }
    sortable(savedList, () => postOrder());
  }
  for (const removeForm of page.querySelectorAll("form[data-confirm]")) {
    removeForm.addEventListener("submit", (event) => {
      if (!window.confirm(removeForm.dataset.confirm)) event.preventDefault();
    });
  }
  sortable(chosenList, () => {});

  // Photos shared from the gallery: leaving one out sends its small form without leaving
  // the page, so what was typed stays.
  const sharedList = page.querySelector("ol[data-shared]");
  for (const leaveOut of page.querySelectorAll("form[data-leave-out]")) {
    leaveOut.addEventListener("submit", async (event) => {
      event.preventDefault();
      const card = leaveOut.closest(".photo-card");
      try {
        const answer = await fetch(leaveOut.action, {
          method: "POST",
          body: new URLSearchParams(new FormData(leaveOut)),
          redirect: "manual",
          credentials: "same-origin",
        });
        if (!(answer.ok || answer.type === "opaqueredirect")) throw new Error(answer.status);
      } catch {
        showProblem("That photo could not be left out. Reload the page and try again.");
        return;
      }
      showProblem("");
      const next = card.nextElementSibling || card.previousElementSibling;
      card.remove();
      const left = sharedList.children.length;
      sharedList.hidden = left === 0;
      [...sharedList.children].forEach((other, i) => {
        other.querySelector("label").textContent = `Describe photo ${i + 1}`;
        other.querySelector(".remove .visually-hidden").textContent = `Leave out photo ${i + 1}`;
      });
      say(`Photo left out. ${left} shared ${plural(left, "photo")} left.`);
      (next?.querySelector(".remove") || input).focus();
    });
  }

  async function postOrder() {
    const body = new URLSearchParams();
    body.append("_csrf_token", form.elements._csrf_token.value);
    for (const card of savedList.children) body.append("photo_ids", card.dataset.photoId);
    try {
      const answer = await fetch(savedList.dataset.orderUrl, {
        method: "POST",
        body,
        redirect: "manual",
        credentials: "same-origin",
      });
      if (!(answer.ok || answer.type === "opaqueredirect")) throw new Error(answer.status);
      showProblem("");
    } catch {
      showProblem("The new order could not be saved. Reload the page and try again.");
    }
  }

  // Dragging a card with a pointer: a mouse takes it by the photo, a finger by its handle
  // (so a finger on a photo still scrolls the page). The others make room as it passes.
  function sortable(list, changed) {
    let drag = null;
    list.addEventListener("pointerdown", (event) => {
      const card = event.target.closest(".photo-card");
      if (!card || card.parentElement !== list || event.button !== 0) return;
      const handle = event.target.closest(".drag-handle");
      const byMouse = event.pointerType === "mouse" && event.target.closest(".photo-frame");
      if (!handle && !byMouse) return;
      event.preventDefault();
      drag = { card, id: event.pointerId, x: event.clientX, y: event.clientY, moved: false };
      drag.from = [...list.children].indexOf(card);
    });
    list.addEventListener("pointermove", (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      if (!drag.moved) {
        if (Math.hypot(event.clientX - drag.x, event.clientY - drag.y) < 6) return;
        drag.moved = true;
        drag.card.classList.add("dragging");
        list.classList.add("sorting");
        list.setPointerCapture(event.pointerId);
      }
      event.preventDefault();
      const over = document.elementFromPoint(event.clientX, event.clientY)?.closest(".photo-card");
      if (!over || over === drag.card || over.parentElement !== list) return;
      const cards = [...list.children];
      const ahead = cards.indexOf(drag.card) < cards.indexOf(over);
      list.insertBefore(drag.card, ahead ? over.nextSibling : over);
    });
    const end = (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      const { card, moved, from } = drag;
      drag = null;
      if (!moved) return;
      card.classList.remove("dragging");
      list.classList.remove("sorting");
      const cards = [...list.children];
      const to = cards.indexOf(card);
      if (to === from) return;
      number(list);
      say(`Photo moved to place ${to + 1} of ${cards.length}.`);
      changed(card);
    };
    list.addEventListener("pointerup", end);
    list.addEventListener("pointercancel", end);
  }

  // The rating is optional on a new memory: a way back to "not said".
  const hearts = form.querySelector(".heart-selector");
  if (hearts) {
    const clear = element("button", { type: "button", class: "link clear-score" }, "Clear");
    const update = () => (clear.hidden = !hearts.querySelector("input:checked"));
    clear.addEventListener("click", () => {
      for (const radio of hearts.querySelectorAll("input")) radio.checked = false;
      update();
      hearts.querySelector("input").focus();
    });
    hearts.append(clear);
    hearts.addEventListener("change", update);
    update();
  }

  // The date and the place, proposed from the first photo chosen: filled only into empty
  // fields, and said beside them with a way back.
  async function propose(file) {
    let tags;
    try {
      const exifr = await import(document.body.dataset.exifr);
      tags = await exifr.parse(file, {
        tiff: true,
        exif: true,
        xmp: true,
        gps: false,
        ifd1: false,
        interop: false,
        icc: false,
        iptc: false,
        jfif: false,
        ihdr: false,
      });
    } catch {
      return; // no metadata we can read: nothing to propose
    }
    if (!tags) return;
    const taken = tags.DateTimeOriginal || tags.CreateDate;
    if (taken instanceof Date && !Number.isNaN(taken.getTime()) && taken <= new Date()) {
      const day = [taken.getFullYear(), taken.getMonth() + 1, taken.getDate()]
        .map((n, i) => String(n).padStart(i ? 2 : 4, "0"))
        .join("-");
      const words = new Intl.DateTimeFormat("en-GB", {
        day: "numeric",
        month: "long",
        year: "numeric",
      }).format(taken);
      offer(form.elements.occurred_on, day, words, "date", () => {
        const exact = form.querySelector('input[name="date_precision"][value="day"]');
        const before = form.querySelector('input[name="date_precision"]:checked');
        exact.checked = true;
        return () => before && (before.checked = true);
      });
    }
    const place = [tags.City, tags.Location].find((v) => typeof v === "string" && v.trim());
    if (place) offer(form.elements.place, place.trim(), place.trim(), "place");
  }

  function offer(field, value, words, what, alsoSet = () => () => {}) {
    const note = document.getElementById(`${field.id}-proposal`);
    if (!note || field.value === value) return;
    const use = () => {
      const before = field.value;
      field.value = value;
      const undoAlso = alsoSet();
      const undo = element("button", { type: "button", class: "link" }, "undo");
      undo.addEventListener("click", () => {
        field.value = before;
        undoAlso();
        note.replaceChildren();
        field.focus();
      });
      note.replaceChildren(`From your photo: ${words} · `, undo);
      // Once the author changes it, it is theirs: the note goes.
      field.addEventListener("input", () => note.replaceChildren(), { once: true });
    };
    if (!field.value) {
      use();
    } else {
      // The author already wrote one: theirs stays, the photo's is offered.
      const take = element("button", { type: "button", class: "link" }, `Use this ${what}`);
      take.addEventListener("click", () => {
        use();
        field.focus();
      });
      note.replaceChildren(`Your photo says ${words} · `, take);
    }
  }

  // Sending: the form's fields, then each chosen photo with its caption, in the cards' order,
  // with a progress bar on each photo as the body's bytes pass it.
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });

  function send() {
    const body = new FormData(form);
    body.delete("photos");
    body.delete("captions");
    const cards = [...chosenList.children];
    for (const card of cards) {
      body.append("captions", card.querySelector(".caption").value);
      body.append("photos", files.get(card), files.get(card).name);
    }
    const sizes = cards.map((card) => files.get(card).size);
    const bars = cards.map((card) => card.querySelector("progress"));
    const photoBytes = sizes.reduce((a, b) => a + b, 0);
    for (const bar of bars) {
      bar.hidden = false;
      bar.value = 0;
      bar.setAttribute("aria-label", "Uploading");
    }
    busy(true, cards.length ? "Sending the photos…" : "Saving…");
    showProblem("");

    const request = new XMLHttpRequest();
    request.open("POST", form.action);
    request.setRequestHeader("Accept", "text/html");
    request.upload.addEventListener("progress", (event) => {
      if (!event.lengthComputable) return;
      // The fields and the parts' headers come first: whatever is not photo bytes.
      let start = event.total - photoBytes;
      bars.forEach((bar, n) => {
        const done = sizes[n] ? (event.loaded - start) / sizes[n] : 1;
        bar.value = Math.round(100 * Math.min(1, Math.max(0, done)));
        start += sizes[n];
      });
    });
    request.upload.addEventListener("load", () => {
      for (const bar of bars) bar.value = 100;
      busy(true, "Saving…");
    });
    request.addEventListener("load", () => {
      const landed = request.responseURL && request.responseURL !== form.action;
      if (request.status < 400 && landed) {
        window.location.assign(request.responseURL);
        return;
      }
      refused(request);
    });
    request.addEventListener("error", () => {
      busy(false);
      showProblem("The memory could not be sent. Check the connection and try again.");
    });
    request.send(body);
  }

  function busy(on, words) {
    submit.disabled = on;
    form.setAttribute("aria-busy", String(on));
    submit.dataset.label ??= submit.textContent;
    submit.textContent = on ? words : submit.dataset.label;
    if (!on) for (const bar of chosenList.querySelectorAll("progress")) bar.hidden = true;
    if (words) say(words);
  }

  // A refused form: its errors beside the fields here (the photos stay chosen); any other
  // page (an expired session, a forbidden form) replaces this one, as a plain post would.
  function refused(request) {
    busy(false);
    const returned = new DOMParser().parseFromString(request.responseText, "text/html");
    const errors = [...returned.querySelectorAll("[data-compose-page] .field-error[id]")];
    if (!errors.length) {
      if (request.status === 413) {
        showProblem("These photos are too large to send at once: add them a few at a time.");
        return;
      }
      document.open();
      document.write(request.responseText);
      document.close();
      return;
    }
    for (const old of page.querySelectorAll(".field-error[data-returned]")) old.remove();
    for (const field of page.querySelectorAll("[aria-invalid]")) {
      field.removeAttribute("aria-invalid");
      field.removeAttribute("aria-describedby");
    }
    let first = null;
    for (const error of errors) {
      const name = error.id.slice(0, -"-error".length);
      const copy = document.importNode(error, true);
      copy.dataset.returned = "";
      let field = document.getElementById(name);
      if (name === "photos" || name === "captions") {
        zone.after(copy);
        field = chosenList.querySelector(".caption") || input;
      } else if (field) {
        field.before(copy);
      } else {
        const group = form.querySelector(`[name="${name}"]`)?.closest("fieldset") || form;
        const legend = group.querySelector("legend");
        if (legend) legend.after(copy);
        else group.prepend(copy);
        field = group.querySelector("input");
      }
      field?.setAttribute("aria-invalid", "true");
      field?.setAttribute("aria-describedby", copy.id);
      first ??= field;
    }
    first?.focus();
  }

  // Photos chosen before this module ran (a quick hand on a slow connection) would otherwise
  // stay in the input unseen, and the send above leaves the input's files out.
  takeChosen();
}

function isPhoto(file) {
  return file.type.startsWith("image/") || /\.(heic|heif)$/i.test(file.name);
}

function plural(n, word) {
  return n === 1 ? word : `${word}s`;
}

function visible(node) {
  return node && getComputedStyle(node).visibility !== "hidden" && node.offsetParent !== null;
}

function element(name, attributes = {}, text = "") {
  const node = document.createElement(name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  if (text) node.textContent = text;
  return node;
}

const ICONS = {
  earlier: "M15 5l-7 7 7 7",
  later: "M9 5l7 7-7 7",
  remove: "M6 6l12 12M18 6L6 18",
};
const WORDS = { "move-earlier": "Move photo {n} earlier", "move-later": "Move photo {n} later", remove: "Remove photo {n}" };

function tool(kind, icon, action) {
  const button = element("button", { type: "button", class: `tool ${kind}` });
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[icon]);
  svg.append(path);
  button.append(svg, element("span", { class: "visually-hidden", "data-words": WORDS[kind] }));
  button.addEventListener("click", action);
  return button;
}

// Each card's words name its place ("Describe photo 2", "Move photo 2 earlier").
function number(list) {
  [...list.children].forEach((card, i) => {
    const n = String(i + 1);
    const label = card.querySelector("label");
    if (label) label.textContent = `Describe photo ${n}`;
    for (const button of card.querySelectorAll(".tool")) {
      const kind = ["move-earlier", "move-later", "remove"].find((k) => button.classList.contains(k));
      button.querySelector(".visually-hidden").textContent = WORDS[kind].replace("{n}", n);
    }
  });
}

// Last, so that the constants above exist when a photo chosen early is shown at once.
const page = document.querySelector("[data-compose-page]");
if (page) compose(page);
