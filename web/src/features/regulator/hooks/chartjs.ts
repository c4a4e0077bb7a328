/**
 * Chart.js, registered piece by piece (tree-shaken): the bar and doughnut charts, the category and
 * linear scales and the tooltip; a third of ECharts' smallest build (docs/PERFORMANCE.md). Legends
 * are plain HTML beside each chart (translated, accessible); a small plugin writes a number above
 * each bar when a chart asks for it (the tier chart's piece counts). Only the dashboard's charts chunk imports this module,
 * so no other page loads Chart.js.
 */
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type Plugin,
} from "chart.js";

Chart.register(BarController, BarElement, DoughnutController, ArcElement, CategoryScale, LinearScale, Tooltip);

// Canvas text does not inherit CSS: use the page's font, at the dashboard's compact size.
if (typeof document !== "undefined") Chart.defaults.font.family = getComputedStyle(document.body).fontFamily || Chart.defaults.font.family;
Chart.defaults.font.size = 11;
Chart.defaults.color = "#495057";
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.animation = { duration: 300 };

export type ChartConfig = ChartConfiguration<"bar", number[], string> | ChartConfiguration<"doughnut", number[], string>;

declare module "chart.js" {
  // Merged into Chart.js' own declaration, whose type parameter it must repeat.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface PluginOptionsByType<TType extends ChartType> {
    /** Text drawn above each bar of the first dataset (bar charts). */
    valueLabels?: { labels?: string[] };
  }
}

/** Writes `options.plugins.valueLabels.labels[i]` above bar i of the first dataset, when given. */
const valueLabels: Plugin<"bar", { labels?: string[] }> = {
  id: "valueLabels",
  afterDatasetsDraw(chart, _args, options) {
    const labels = options.labels;
    if (labels === undefined || labels.length === 0) return;
    const { ctx } = chart;
    ctx.save();
    ctx.font = `${Chart.defaults.font.size ?? 11}px ${Chart.defaults.font.family ?? "sans-serif"}`;
    ctx.fillStyle = Chart.defaults.color as string;
    ctx.textAlign = "center";
    ctx.textBaseline = "bottom";
    chart.getDatasetMeta(0).data.forEach((bar, i) => {
      if (labels[i] !== undefined) ctx.fillText(labels[i], bar.x, bar.y - 3);
    });
    ctx.restore();
  },
};
Chart.register(valueLabels as Plugin);

export { Chart };
