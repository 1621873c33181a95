// Classic script, run before first paint: apply the last theme this browser used.
(function () {
  try {
    var t = localStorage.getItem("bw.theme");
    if (t === "light" || t === "dark") document.documentElement.dataset.theme = t;
  } catch (e) { /* storage blocked: the system theme applies */ }
})();
