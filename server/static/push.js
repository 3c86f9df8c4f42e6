// Settings → Notifications: turn Web Push on or off in this browser. The browser asks for
// permission only when the member presses the button. Without this script (or without push
// in the browser) the hint under the button says what is needed, and the kinds form works.
const box = document.querySelector("[data-push]");
const supported =
  box && "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;

if (supported) {
  const status = box.querySelector("[data-push-status]");
  const on = box.querySelector("[data-push-on]");
  const off = box.querySelector("[data-push-off]");
  const csrf = document.querySelector("input[name=_csrf_token]").value;

  const show = (subscribed, words) => {
    on.hidden = subscribed;
    off.hidden = !subscribed;
    status.textContent =
      words ||
      (subscribed
        ? "Notifications are on on this device."
        : "Notifications are off on this device.");
  };

  const post = async (url, subscription) => {
    const keys = subscription.toJSON().keys || {};
    const body = new URLSearchParams({
      _csrf_token: csrf,
      endpoint: subscription.endpoint,
      p256dh: keys.p256dh || "",
      auth: keys.auth || "",
    });
    const answer = await fetch(url, { method: "POST", body, credentials: "same-origin" });
    if (!answer.ok) throw new Error(await answer.text());
  };

  const applicationServerKey = async () => {
    const { public_key: key } = await (await fetch(box.dataset.keyUrl)).json();
    const raw = atob(key.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  };

  // Shown once the service worker runs (it shows the notifications); until then, or when
  // the browser refuses it, the hint stays.
  const registration = await navigator.serviceWorker.ready;
  box.hidden = false;
  document.querySelector("[data-push-unsupported]").hidden = true;
  let subscription = await registration.pushManager.getSubscription();
  if (Notification.permission === "denied") {
    on.disabled = true;
    show(false, "Notifications are blocked for this site: allow them in your browser’s site settings, then reload this page.");
  } else {
    show(Boolean(subscription));
  }
  // The server may have forgotten this browser (its push service said it was gone, or
  // someone else used it since): telling it again keeps the two in step.
  if (subscription) post(box.dataset.subscribeUrl, subscription).catch(() => {});

  on.addEventListener("click", async () => {
    on.disabled = true;
    try {
      if ((await Notification.requestPermission()) !== "granted") {
        show(false, "Your browser did not allow notifications, so they stay off.");
        return;
      }
      subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: await applicationServerKey(),
      });
      await post(box.dataset.subscribeUrl, subscription);
      show(true, "Notifications are on on this device. You will hear when your partner writes.");
    } catch (error) {
      show(false, `Notifications could not be turned on here. ${error.message || ""}`.trim());
    } finally {
      on.disabled = false;
    }
  });

  off.addEventListener("click", async () => {
    off.disabled = true;
    try {
      await post(box.dataset.unsubscribeUrl, subscription);
      await subscription.unsubscribe();
      subscription = null;
      show(false);
    } catch {
      show(true, "Notifications could not be turned off. Try again in a moment.");
    } finally {
      off.disabled = false;
    }
  });
}
