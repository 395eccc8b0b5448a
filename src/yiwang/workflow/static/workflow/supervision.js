/* 电子监察 charts (issue 3 §5). The numbers come from the page's json_script block
   (#supervision-chart-data); the tables beside the charts carry the same numbers for screen
   readers and for printing. No inline script: this file is loaded with `defer`. */
(function () {
  "use strict";

  var COLOURS = {
    departments: ["#1e6b34", "#c27c00", "#b3261e"], // 正常在办, 预警, 超期 (as the clock classes)
    processes: ["#0b57a4", "#6a3d9a"]
  };

  function option(kind, data) {
    var stacked = kind === "departments";
    return {
      aria: { enabled: true },
      animation: false,
      color: COLOURS[kind],
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
      xAxis: {
        type: "category",
        data: data.names,
        axisLabel: { interval: 0, hideOverlap: true, overflow: "truncate", width: 96 }
      },
      yAxis: stacked
        ? { type: "value", minInterval: 1 }
        : { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
      series: data.series.map(function (series) {
        return {
          name: series.name,
          type: "bar",
          stack: stacked ? "open" : undefined,
          data: series.values,
          barMaxWidth: 48
        };
      })
    };
  }

  function draw() {
    var source = document.getElementById("supervision-chart-data");
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var charts = [];
    document.querySelectorAll("[data-chart]").forEach(function (element) {
      var kind = element.getAttribute("data-chart");
      if (!data[kind] || !data[kind].names.length) {
        return;
      }
      var chart = window.echarts.init(element, null, { renderer: "svg" });
      chart.setOption(option(kind, data[kind]));
      charts.push(chart);
    });
    window.addEventListener("resize", function () {
      charts.forEach(function (chart) {
        chart.resize();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
