package io.sluice.cli;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.LineAndShapeRenderer;
import org.jfree.chart.renderer.category.StackedBarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** The "where the time went" chart of a run (JFreeChart): data wait vs compute per epoch, and GET latency. */
final class TimeChart {
  /** One epoch's figures: seconds waiting for data and computing, GET latency percentiles in milliseconds. */
  record Epoch(int epoch, double waitSeconds, double computeSeconds, double getP50Millis, double getP99Millis) {}

  private TimeChart() {}

  static void write(Path file, String title, List<Epoch> epochs) throws IOException {
    DefaultCategoryDataset time = new DefaultCategoryDataset();
    DefaultCategoryDataset latency = new DefaultCategoryDataset();
    for (Epoch e : epochs) {
      String column = Integer.toString(e.epoch());
      time.addValue(e.computeSeconds(), "trainer computing", column);
      time.addValue(e.waitSeconds(), "trainer waiting for data", column);
      latency.addValue(e.getP50Millis(), "GET p50", column);
      latency.addValue(e.getP99Millis(), "GET p99", column);
    }
    StackedBarRenderer bars = new StackedBarRenderer();
    bars.setSeriesPaint(0, new Color(0x4C72B0));
    bars.setSeriesPaint(1, new Color(0xDD8452));
    bars.setShadowVisible(false);
    bars.setBarPainter(new StandardBarPainter());
    CategoryPlot timePlot = new CategoryPlot(time, null, new NumberAxis("seconds"), bars);
    LineAndShapeRenderer lines = new LineAndShapeRenderer(true, true);
    lines.setSeriesPaint(0, new Color(0x55A868));
    lines.setSeriesPaint(1, new Color(0xC44E52));
    CategoryPlot latencyPlot = new CategoryPlot(latency, null, new NumberAxis("GET latency, ms"), lines);
    CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(new CategoryAxis("epoch"));
    plot.add(timePlot, 2);
    plot.add(latencyPlot, 1);
    for (CategoryPlot p : List.of(timePlot, latencyPlot)) {
      p.setBackgroundPaint(Color.WHITE);
      p.setRangeGridlinePaint(Color.LIGHT_GRAY);
    }
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 600);
  }
}
