/// The report's stylesheet, inlined in every page (no network).
enum ReportStyle {
    static let css = """
        :root{color-scheme:light;--ink:#1b1b1b;--muted:#5f6368;--line:#e3e3e3;--card:#fff;--page:#f6f7f9}
        *{box-sizing:border-box}
        body{margin:0;background:var(--page);color:var(--ink);font:15px/1.45 system-ui,-apple-system,"Segoe \
        UI",Roboto,"DejaVu Sans",sans-serif}
        header.top{background:#20262e;color:#fff;padding:18px 28px}
        header.top h1{margin:0;font-size:22px;font-weight:600}
        header.top p{margin:4px 0 0;color:#c9d1d9;font-size:13px}
        header.top a{color:#9ecbff}
        main{max-width:1040px;margin:0 auto;padding:12px 20px 40px}
        section{background:var(--card);border:1px solid var(--line);border-radius:8px;margin:18px 0;padding:14px 18px}
        section h2{font-size:17px;margin:2px 0 8px}
        section p.note{color:var(--muted);font-size:13px;margin:4px 0 10px}
        dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:4px 18px;margin:0}
        dl.facts div{display:flex;gap:6px;font-size:14px}
        dl.facts dt{color:var(--muted)}
        dl.facts dd{margin:0;font-weight:500}
        svg.chart{display:block;width:100%;height:auto;font-size:12px;font-family:inherit}
        svg.chart .title{font-size:14px;font-weight:600;fill:var(--ink)}
        svg.chart .tick{fill:var(--muted);font-size:11px}
        svg.chart .label{fill:var(--ink);font-size:12px}
        svg.chart .legend text{fill:var(--ink);font-size:11px}
        svg.chart .grid line{stroke:#eeeeee;stroke-width:1}
        svg.chart .axis line{stroke:#9a9a9a;stroke-width:1}
        svg.chart path{fill:none;stroke-linejoin:round;stroke-linecap:round}
        svg.chart path.series{stroke-width:1.6;opacity:.9}
        svg.chart path.band{stroke:none;fill-opacity:.16}
        svg.chart path.median{stroke-width:2.4}
        svg.chart path.exploit{stroke-width:1;stroke-dasharray:3 3;opacity:.75}
        svg.chart path.schedule{stroke:#1b1b1b;stroke-width:3;opacity:.85}
        svg.chart path.best-so-far{stroke:#111;stroke-width:2.4;fill:none;opacity:.75}
        svg.chart path.member-best{stroke-width:1.5;stroke-dasharray:1.5 2;fill:none;opacity:.9}
        svg.chart text.clipped{font-size:11px;fill:#a33}
        svg.chart path.lane{stroke-width:3}
        svg.chart path.copy{stroke-width:1.2}
        svg.chart path.extinct{stroke:#cfcfcf;stroke-width:2}
        svg.chart path.extinct.copy{stroke-width:.8}
        svg.chart .copies circle{fill:#555}
        svg.chart circle.point{stroke:#fff;stroke-width:1}
        table{border-collapse:collapse;width:100%;font-size:13px;font-variant-numeric:tabular-nums}
        th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);white-space:nowrap}
        th{color:var(--muted);font-weight:600;white-space:normal;vertical-align:bottom}
        td.num{text-align:right}
        tr.best td{font-weight:600;background:#fffbe6}
        .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
        .scroll{overflow-x:auto}
        .live{font-size:13px;color:#c9d1d9}
        .live.running::before{content:"";display:inline-block;width:8px;height:8px;border-radius:50%;\
        background:#3fb950;margin-right:6px}
        table.experiments td{white-space:normal}
        table.experiments td:first-child{white-space:nowrap;font-weight:500}
        """
}
