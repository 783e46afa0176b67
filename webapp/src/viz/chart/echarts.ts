/**
 * ECharts as the visualizations use it, imported part by part from `echarts/core` so only what they draw reaches the
 * page — and only in the lazy chunks of the chart renderers (never the entry chunk): the canvas renderer, line and bar
 * charts, and the grid, tooltip, legend and markLine components.
 */
import { BarChart, LineChart } from 'echarts/charts'
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components'
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

use([
  CanvasRenderer,
  LineChart,
  BarChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TooltipComponent,
])
