// Hongyin page behaviour. No inline scripts (CSP): behaviour hangs on data attributes.
(function () {
  "use strict";
  // Charts: <div class="hy-chart" data-chart='{"...echarts option..."}'></div>, drawn when echarts is loaded.
  function drawCharts(root) {
    if (!window.echarts) return;
    root.querySelectorAll("[data-chart]").forEach(function (el) {
      if (el.dataset.drawn) return;
      el.dataset.drawn = "1";
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      // the page's font stack (ends with the Noto Sans SC we serve), so machines without CJK fonts draw Chinese
      var defaults = {
        color: ["#c8102e", "#e4687c", "#8b0a1f", "#f0a202", "#4a6fa5", "#6b8f71"],
        textStyle: { fontFamily: window.getComputedStyle(document.body).fontFamily }
      };
      chart.setOption(Object.assign(defaults, JSON.parse(el.dataset.chart)));
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }
  // Remember the last opened node of the org tree.
  function rememberNode(root) {
    root.querySelectorAll("[data-remember-node]").forEach(function (el) {
      try { localStorage.setItem("hy-last-node", el.dataset.rememberNode); } catch (e) { /* private mode */ }
    });
  }
  // Confirm dangerous actions: <button data-confirm="...">.
  document.addEventListener("submit", function (ev) {
    var btn = ev.submitter;
    if (btn && btn.dataset.confirm && !window.confirm(btn.dataset.confirm)) ev.preventDefault();
  });
  // The expected handling time of the chosen category: <select data-resolve-hint="id"> whose options carry
  // data-resolve-days; the hint element holds the sentence in data-hint-template ("%(n)s" stands for the days).
  document.addEventListener("change", function (ev) {
    var select = ev.target;
    if (!select.dataset || !select.dataset.resolveHint) return;
    var hint = document.getElementById(select.dataset.resolveHint);
    if (!hint) return;
    var option = select.options[select.selectedIndex];
    var days = option ? option.dataset.resolveDays : "";
    hint.textContent = days ? hint.dataset.hintTemplate.replace("%(n)s", days) : "";
  });
  // Navigation sections (<details data-nav-section="key">): the ones the user opened stay open on the next page.
  function restoreNav(root) {
    var open = [];
    try { open = JSON.parse(localStorage.getItem("hy-nav-open") || "[]"); } catch (e) { /* private mode */ }
    root.querySelectorAll("details[data-nav-section]").forEach(function (el) {
      if (open.indexOf(el.dataset.navSection) >= 0) el.open = true;
      el.addEventListener("toggle", function () {
        var keys = open.filter(function (k) { return k !== el.dataset.navSection; });
        if (el.open) keys.push(el.dataset.navSection);
        open = keys;
        try { localStorage.setItem("hy-nav-open", JSON.stringify(keys)); } catch (e) { /* private mode */ }
      });
    });
  }
  function init(root) { drawCharts(root); rememberNode(root); }
  document.addEventListener("DOMContentLoaded", function () {
    // charts measure their labels: wait for the web fonts so Chinese labels are laid out with the real glyphs
    var ready = document.fonts && document.fonts.ready ? document.fonts.ready : Promise.resolve();
    restoreNav(document);
    ready.then(function () { init(document); });
  });
  document.addEventListener("htmx:afterSettle", function (ev) { init(ev.target); });
})();
