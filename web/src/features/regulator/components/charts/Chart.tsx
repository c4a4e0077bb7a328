import { Box } from "@mantine/core";
import { useEffect, useRef } from "react";

import type { ChartConfiguration } from "chart.js";

import { Chart as ChartJs, type ChartConfig } from "../../hooks/chartjs";

/**
 * One Chart.js chart on a canvas: created on mount, updated in place when its configuration
 * changes (live figures), resized with its box, destroyed on unmount. The canvas is an image
 * named by `label`; the figures are also in the page's tables and legends.
 */
export function Chart({ config, height = 240, label }: { config: ChartConfig; height?: number; label: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<ChartJs | null>(null);

  useEffect(() => {
    if (canvas.current === null) return;
    const instance = new ChartJs(canvas.current, config as ChartConfiguration);
    chart.current = instance;
    return () => {
      instance.destroy();
      chart.current = null;
    };
    // Created once; later configurations are applied in place by the effect below.
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (instance === null || instance.data === config.data) return;
    instance.data = config.data;
    instance.options = (config.options ?? {}) as ChartConfiguration["options"] & object;
    instance.update();
  }, [config]);

  return (
    <Box h={height} pos="relative">
      <canvas ref={canvas} role="img" aria-label={label} />
    </Box>
  );
}
