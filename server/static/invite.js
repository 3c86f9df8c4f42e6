// The invitation page: Copy (Clipboard API) and Share (Web Share API, where the browser has it).
// Without JavaScript the link and the message are readonly fields to select and copy by hand.
const status = document.querySelector(".copied");

for (const button of document.querySelectorAll("[data-copy]")) {
  if (!navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    const field = document.querySelector(button.dataset.copy);
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = "Copied. Paste it in a message to your partner.";
    } catch {
      field.select();
      status.textContent = "Select the text and copy it.";
    }
  });
}

for (const button of document.querySelectorAll("[data-share]")) {
  const text = document.querySelector(button.dataset.shareText).value;
  const shared = { title: button.dataset.shareTitle, text };
  if (!navigator.share || (navigator.canShare && !navigator.canShare(shared))) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.share(shared);
    } catch {
      // Closing the share sheet is not an error worth saying.
    }
  });
}
