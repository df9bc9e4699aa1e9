// Starts Microsoft's Web Chat against Linli's own Direct Line. ?lang=en for English, ?transport=polling to poll.
(async () => {
  const params = new URLSearchParams(location.search);
  const locale = params.get("lang") === "en" ? "en-US" : "zh-CN";
  document.documentElement.lang = locale;
  document.querySelectorAll(".languages a").forEach(a => a.classList.toggle("current", locale.startsWith(a.dataset.lang)));

  // The same browser comes back as the same user (so the bot recognises a returning resident) with the signed key
  // the server gave it; a bare user id is not enough.
  const storedKey = localStorage.getItem("linli.userKey");
  const response = await fetch("/api/chat/token", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ userKey: storedKey, locale }),
  });
  const { token, userId, userKey } = await response.json();
  localStorage.setItem("linli.userKey", userKey);
  localStorage.removeItem("linli.userId");

  const directLine = window.WebChat.createDirectLine({
    domain: `${location.origin}/v3/directline`,
    token,
    webSocket: params.get("transport") !== "polling",
  });
  window.WebChat.renderWebChat({
    directLine,
    userID: userId,
    locale,
    styleOptions: {
      // Large, plain and calm: many residents are elderly.
      primaryFont: "'PingFang SC', 'Microsoft YaHei', 'WenQuanYi Zen Hei', sans-serif",
      bubbleMinHeight: 44,
      suggestedActionHeight: 44,
      suggestedActionLayout: "flow",
      sendBoxHeight: 56,
      hideUploadButton: false,
      bubbleBackground: "#ffffff",
      bubbleFromUserBackground: "#fbe9e7",
      accent: "#b8322a",
    },
  }, document.getElementById("webchat"));
  document.querySelector("#webchat input, #webchat textarea")?.focus();
})();
