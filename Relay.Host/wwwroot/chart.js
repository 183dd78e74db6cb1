// A small live line chart of messages in/s and out/s, drawn on a <canvas> (no library).
// Samples are placed by the time they arrived, so a gap in the event stream shows as a gap.
"use strict";

window.Relay = window.Relay || {};

(function (R) {
  const WINDOW_MS = 120 * 1000;
  const GAP_MS = 3500; // samples further apart than this are not joined by a line

  class RateChart {
    constructor(canvas) {
      this.canvas = canvas;
      this.ctx = canvas.getContext("2d");
      this.samples = []; // {t, in, out}
      this.width = 0;
      this.height = 0;
      this.readColors();
      const ro = new ResizeObserver(() => this.resize());
      ro.observe(canvas.parentElement);
      const mq = window.matchMedia("(prefers-color-scheme: dark)");
      if (mq.addEventListener) mq.addEventListener("change", () => { this.readColors(); this.draw(); });
      this.resize();
    }

    readColors() {
      const cs = getComputedStyle(document.documentElement);
      const v = (name, dflt) => (cs.getPropertyValue(name) || "").trim() || dflt;
      this.colors = {
        in: v("--c-in", "#2563eb"),
        out: v("--c-out", "#d97706"),
        grid: v("--c-grid", "#e5e7eb"),
        axis: v("--c-muted", "#6b7280"),
        font: v("--font-ui", "system-ui, sans-serif"),
      };
    }

    resize() {
      const rect = this.canvas.parentElement.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      this.width = Math.max(100, Math.floor(rect.width));
      this.height = Math.max(80, Math.floor(rect.height));
      this.canvas.width = Math.floor(this.width * dpr);
      this.canvas.height = Math.floor(this.height * dpr);
      this.canvas.style.width = this.width + "px";
      this.canvas.style.height = this.height + "px";
      this.ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      this.draw();
    }

    push(inRate, outRate, t) {
      const now = t || Date.now();
      this.samples.push({
        t: now,
        in: R.isNum(inRate) ? inRate : null,
        out: R.isNum(outRate) ? outRate : null,
      });
      const cutoff = now - WINDOW_MS - 2000;
      while (this.samples.length && this.samples[0].t < cutoff) this.samples.shift();
      this.draw();
    }

    /** The top of the y axis: 4 grid steps of a round size (1, 2, 3, 4, 5, 6, 8 × 10^k; 1.5 and 2.5 from 10 up). */
    static niceMax(v, steps) {
      const raw = Math.max(v / steps, 1);
      const p = Math.pow(10, Math.floor(Math.log10(raw)));
      const ms = p >= 10 ? [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10] : [1, 2, 3, 4, 5, 6, 8, 10];
      for (const m of ms) if (m * p >= raw - 1e-9) return m * p * steps;
      return 10 * p * steps;
    }

    static axisLabel(v) {
      if (v >= 1e6) return (v / 1e6).toFixed(v % 1e6 ? 1 : 0) + "M";
      if (v >= 1e4) return (v / 1e3).toFixed(v % 1e3 ? 1 : 0) + "k";
      return String(Math.round(v * 10) / 10);
    }

    draw() {
      const { ctx, width: w, height: h, colors } = this;
      if (!w || !h) return;
      ctx.clearRect(0, 0, w, h);

      const now = Date.now();
      const left = 44, right = 8, top = 8, bottom = 20;
      const pw = w - left - right, ph = h - top - bottom;

      let max = 0;
      for (const s of this.samples) {
        if (s.t < now - WINDOW_MS) continue;
        if (s.in !== null) max = Math.max(max, s.in);
        if (s.out !== null) max = Math.max(max, s.out);
      }
      const steps = 4;
      const ymax = RateChart.niceMax(max * 1.08, steps);

      ctx.font = "11px " + colors.font;
      ctx.lineWidth = 1;

      // horizontal grid + y labels
      ctx.textAlign = "right";
      ctx.textBaseline = "middle";
      for (let i = 0; i <= steps; i++) {
        const v = (ymax * i) / steps;
        const y = Math.round(top + ph - (ph * i) / steps) + 0.5;
        ctx.strokeStyle = colors.grid;
        ctx.beginPath();
        ctx.moveTo(left, y);
        ctx.lineTo(left + pw, y);
        ctx.stroke();
        ctx.fillStyle = colors.axis;
        ctx.fillText(RateChart.axisLabel(v), left - 6, y);
      }

      // x labels
      ctx.textBaseline = "alphabetic";
      for (const sec of [120, 90, 60, 30, 0]) {
        const x = left + pw - (pw * sec * 1000) / WINDOW_MS;
        ctx.textAlign = sec === 120 ? "left" : sec === 0 ? "right" : "center";
        ctx.fillStyle = colors.axis;
        ctx.fillText(sec === 0 ? "now" : "−" + sec + " s", x, h - 5);
      }

      const xOf = (t) => left + pw - (pw * (now - t)) / WINDOW_MS;
      const yOf = (v) => top + ph - (ph * v) / ymax;

      const series = (key, color, fill) => {
        ctx.save();
        ctx.beginPath();
        ctx.rect(left, top - 2, pw, ph + 4);
        ctx.clip();
        let runs = [];
        let run = [];
        let prevT = null;
        for (const s of this.samples) {
          const v = s[key];
          if (v === null || (prevT !== null && s.t - prevT > GAP_MS)) {
            if (run.length) runs.push(run);
            run = [];
          }
          if (v !== null) run.push([xOf(s.t), yOf(v)]);
          prevT = s.t;
        }
        if (run.length) runs.push(run);

        for (const r of runs) {
          if (fill && r.length > 1) {
            ctx.beginPath();
            ctx.moveTo(r[0][0], top + ph);
            for (const [x, y] of r) ctx.lineTo(x, y);
            ctx.lineTo(r[r.length - 1][0], top + ph);
            ctx.closePath();
            ctx.globalAlpha = 0.10;
            ctx.fillStyle = color;
            ctx.fill();
            ctx.globalAlpha = 1;
          }
          if (r.length === 1) {
            ctx.beginPath();
            ctx.fillStyle = color;
            ctx.arc(r[0][0], r[0][1], 2.5, 0, Math.PI * 2);
            ctx.fill();
            continue;
          }
          ctx.beginPath();
          ctx.strokeStyle = color;
          ctx.lineWidth = 2;
          ctx.lineJoin = "round";
          r.forEach(([x, y], i) => (i ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
          ctx.stroke();
        }
        ctx.restore();
      };
      series("in", colors.in, true);
      series("out", colors.out, false);

      if (!this.samples.length) {
        ctx.textAlign = "center";
        ctx.textBaseline = "middle";
        ctx.fillStyle = colors.axis;
        ctx.font = "13px " + colors.font;
        ctx.fillText("waiting for data…", left + pw / 2, top + ph / 2);
      }
    }
  }

  R.RateChart = RateChart;
})(window.Relay);
