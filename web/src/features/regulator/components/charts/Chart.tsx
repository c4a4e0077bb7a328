import { Box } from "@mantine/core";
import { useEffect, useRef } from "react";

import { echarts, type ChartOption } from "../../hooks/echarts";

/** One ECharts chart: created on mount, updated with its option, resized with its box, disposed on unmount. */
export function Chart({ option, height = 240, label }: { option: ChartOption; height?: number; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<ReturnType<typeof echarts.init> | null>(null);

  useEffect(() => {
    if (ref.current === null) return;
    const instance = echarts.init(ref.current, undefined, { renderer: "svg" });
    chart.current = instance;
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animationDuration: 300, ...option }, { notMerge: true });
  }, [option]);

  return <Box ref={ref} h={height} role="img" aria-label={label} />;
}
