/* The 驾驶舱's charts (assessment/panel_city.html, projects/panel_cultivation.html): started from their panel's data
   (json_script) when the page loads, and when a panel that was still being computed arrives from its placeholder
   (htmx swaps it in; a script inside swapped HTML would not carry the page's CSP nonce, so the code lives here). */
(function () {
  var charts = [];

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function start(el) {
    if (!el || el.getAttribute("data-chart-ready") || typeof echarts === "undefined") return null;
    el.setAttribute("data-chart-ready", "1");
    var chart = echarts.init(el);
    charts.push(chart);
    return chart;
  }

  function assessment() {
    var d = data("assessment-chart-data");
    if (!d) return;
    var bar = start(document.getElementById("assessment-ranking-chart"));
    if (bar) {
      var r = d.ranking;
      bar.setOption({grid: {left: 60, right: 80, top: 10, bottom: 30}, xAxis: {type: "value", max: 100},
        yAxis: {type: "category", data: r.names.slice().reverse()},
        series: [{type: "bar", itemStyle: {color: "#1d4f91"},
          data: r.scores.map(function (v, i) { return {value: v, state: r.states[i], label_: r.labels[i]}; }).reverse(),
          label: {show: true, position: "right", formatter: function (p) {
            return p.data.state === "late" || p.data.state === "missing" ? p.value + "（" + p.data.label_ + "）" : p.value; }}}]});
    }
    var line = start(document.getElementById("assessment-trend-chart"));
    if (line) {
      var marker = {late: "triangle", missing: "rect"};
      line.setOption({legend: {top: 0}, grid: {left: 40, right: 20, top: 50, bottom: 30},
        tooltip: {trigger: "item", formatter: function (p) {
          var s = p.data && p.data.state;
          return p.seriesName + " " + p.name + "：" + (s === "late" || s === "missing" ? "0（" + p.data.label_ + "）" : p.value); }},
        xAxis: {type: "category", data: d.trend.months}, yAxis: {type: "value", min: 0, max: 100},
        series: d.trend.series.map(function (s) {
          return {name: s.name, type: "line", connectNulls: false,
            data: s.data.map(function (v, i) {
              var st = s.states[i], m = marker[st]; if (v === null) { v = "-"; }
              return m ? {value: v, state: st, label_: s.labels[i], symbol: m, symbolSize: 10, itemStyle: {color: st === "late" ? "#dc2626" : "#6b7280"}}
                       : {value: v, state: st, label_: s.labels[i]};
            })};
        })});
    }
  }

  function cultivation() {
    var d = data("cultivation-data");
    if (!d) return;
    var chart = start(document.getElementById("cultivation-chart"));
    if (!chart) return;
    chart.setOption({
      grid: {left: 40, right: 20, top: 30, bottom: 30},
      tooltip: {trigger: "axis", valueFormatter: function (v) { return v == null ? "无政府投资项目" : v + "%"; }},
      xAxis: {type: "category", data: d.counties},
      yAxis: {type: "value", name: "比例（" + d.axis.unit + "）", min: d.axis.min, max: d.axis.max, interval: 20, axisLabel: {formatter: "{value}" + d.axis.unit}},
      series: [{
        type: "bar", name: "培育比例", barMaxWidth: 36,
        data: d.percents.map(function (v) { return {value: v, itemStyle: {color: v != null && v < d.minimum ? "#dc3545" : "#1d4f91"}}; }),
        label: {show: true, position: "top", formatter: function (p) { return p.value == null ? "—" : p.value + "%"; }},
        markLine: {symbol: "none", lineStyle: {color: "#dc3545", type: "dashed"}, label: {formatter: "下限 " + d.minimum + "%"}, data: [{yAxis: d.minimum}]}
      }]
    });
  }

  function init() { assessment(); cultivation(); }
  // A placeholder whose panel could not be loaded (a server error, the network) says so instead of spinning.
  document.addEventListener("htmx:afterRequest", function (event) {
    var card = event.detail.elt;
    if (event.detail.successful || !card.matches || !card.matches('[data-testid="panel-placeholder"]')) return;
    var status = card.querySelector('[role="status"]');
    if (status) status.textContent = "加载失败，请刷新页面重试。";
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init); else init();
  document.addEventListener("htmx:afterSettle", init);  // a panel arrived from its placeholder
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
