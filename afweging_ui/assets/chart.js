// One plotly chart, drawn in place (afweging_ui/plotly_view.py). Trusted, constant code:
// the figure and its config come as data, and no text in them is ever parsed as HTML
// here (plotly itself renders a figure's text as SVG text, with its own small markup).
//
// data: {figure: JSON text of the figure, config: plotly's config, src: the URL of the
//        plotly.js bundle to draw it with, failed: the words for a chart that cannot load}

// Each bundle is loaded once per page, one after the other: both set window.Plotly.
const loads = (window.__afwegingPlotly = window.__afwegingPlotly || { chain: Promise.resolve() });

function plotly(src) {
  if (!loads[src]) {
    loads[src] = loads.chain = loads.chain.then(
      () =>
        new Promise((resolve, reject) => {
          const script = document.createElement("script");
          script.src = src;
          script.onload = () => resolve(window.Plotly);
          script.onerror = () => reject(new Error(`plotly.js did not load from ${src}`));
          document.head.appendChild(script);
        }),
    );
    // A failed load is tried again by the next chart, and does not block other bundles.
    loads.chain = loads.chain.catch(() => undefined);
    loads[src].catch(() => delete loads[src]);
  }
  return loads[src];
}

export default function ({ data, parentElement }) {
  let box = parentElement.querySelector(":scope > .afw-chart");
  if (!box) {
    box = document.createElement("div");
    box.className = "afw-chart";
    parentElement.appendChild(box);
  }
  // Streamlit calls this again on every rerun; an unchanged figure is left as it is.
  if (box.afwFigure === data.figure && box.afwConfig === JSON.stringify(data.config)) return;
  box.afwFigure = data.figure;
  box.afwConfig = JSON.stringify(data.config);
  const figure = JSON.parse(data.figure);
  const layout = figure.layout || {};
  // The chart's height is known before plotly.js is: the page does not jump when it comes.
  if (layout.height) box.style.minHeight = `${layout.height}px`;
  plotly(data.src).then(
    (Plotly) => {
      if (box.afwFigure !== data.figure) return; // a newer figure came meanwhile
      if (box.hasAttribute("data-afw-failed")) {
        box.removeAttribute("data-afw-failed");
        box.textContent = "";
      }
      // react() updates the drawn chart: it is never blank between two figures.
      Plotly.react(box, figure.data || [], layout, data.config).then(() => {
        if (box.afwObserver) return;
        // The column's width changes (sidebar, window, phone turned): redraw to fit.
        let frame = 0;
        box.afwObserver = new ResizeObserver((entries) => {
          const width = Math.round(entries[0].contentRect.width);
          const drawn = box._fullLayout && box._fullLayout.width;
          if (!width || !drawn || Math.abs(drawn - width) < 2) return;
          cancelAnimationFrame(frame);
          frame = requestAnimationFrame(() => box.isConnected && Plotly.Plots.resize(box));
        });
        box.afwObserver.observe(box);
      });
    },
    () => {
      box.afwFigure = undefined; // tried again on the next rerun
      box.setAttribute("data-afw-failed", "");
      box.textContent = data.failed;
    },
  );
}
