/**
 * ECharts, imported piece by piece: the core, the two chart types the dashboard draws (bar and
 * pie), the grid and tooltip components, and the SVG renderer. Legends are plain HTML beside each
 * chart (translated, accessible, and lighter than ECharts' legend component). Only the dashboard's
 * charts chunk imports this module, so no other page loads ECharts.
 */
import { BarChart, PieChart } from "echarts/charts";
import { GridComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { SVGRenderer } from "echarts/renderers";

echarts.use([BarChart, PieChart, GridComponent, TooltipComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;

export { echarts };
