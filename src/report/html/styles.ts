/** The report's inline style sheet. */

export const styles = `
:root{--ink:#1a1a1a;--muted:#595959;--rule:#d4d4d4;--accent:#1f4e79}
*{box-sizing:border-box}
html{font-size:15px;-webkit-text-size-adjust:100%}
body{margin:0;background:#fff;color:var(--ink);font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
.masthead,main,footer{max-width:1060px;margin:0 auto;padding:0 28px}
footer{margin-top:2.5rem;padding-bottom:2.5rem}
h1{font-size:1.85rem;line-height:1.2;margin:.3rem 0 .9rem}
h2{font-size:1.4rem;line-height:1.25;margin:2.6rem 0 .9rem;padding-bottom:.25rem;border-bottom:2px solid var(--ink)}
h3{font-size:1.08rem;margin:1.6rem 0 .5rem}
p{margin:.5rem 0}
a{color:var(--accent)}
.kicker{margin:1.6rem 0 0;font-size:.78rem;letter-spacing:.08em;text-transform:uppercase;color:var(--muted)}
.callout{margin:1rem 0;padding:.8rem 1.1rem;border-left:5px solid #b8860b;background:#fcf6e3;font-size:1.05rem}
.callout strong{display:block;font-size:.78rem;letter-spacing:.06em;text-transform:uppercase;color:#7a5a00}
nav.toc ol{display:flex;flex-wrap:wrap;gap:.25rem 1.2rem;margin:.6rem 0 0;padding:0;list-style:none;font-size:.92rem}
.facts{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:.9rem 1.8rem;margin:1rem 0}
.facts div{border-top:1px solid var(--rule);padding-top:.35rem}
.facts dt{font-size:.75rem;letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
.facts dd{margin:0}
.headline{margin:1.4rem 0;padding:.9rem 1.2rem;border:1px solid var(--rule);border-left:5px solid var(--accent)}
.headline h3{margin:0 0 .2rem;font-size:.8rem;letter-spacing:.06em;text-transform:uppercase;color:var(--muted)}
.headline .big{margin:.2rem 0;font-size:1.9rem;font-weight:700;font-variant-numeric:tabular-nums}
.definition{color:var(--muted);font-size:.92rem}
figure{margin:0}
figure.chart{margin:1.1rem 0 1.4rem}
figure.chart svg{display:block;width:100%;max-width:100%;height:auto}
svg text{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;fill:#1a1a1a}
figcaption{margin-top:.45rem;font-size:.86rem;color:var(--muted)}
.table-wrap{overflow-x:auto;margin:.8rem 0 1.2rem}
table{width:100%;border-collapse:collapse;font-size:.86rem;font-variant-numeric:tabular-nums}
th,td{padding:.32rem .5rem;border-bottom:1px solid var(--rule);text-align:left;vertical-align:top}
thead th{border-bottom:2px solid var(--ink);font-weight:600;vertical-align:bottom}
tbody th{font-weight:500}
.num{text-align:right;white-space:nowrap}
thead th.num{white-space:normal}
thead th.group{text-align:center;border-bottom:1px solid var(--rule)}
th.rotate{padding:.3rem .2rem;text-align:left;vertical-align:bottom}
th.rotate span{display:inline-block;max-height:11rem;overflow:hidden;text-overflow:ellipsis;white-space:nowrap;writing-mode:vertical-rl;transform:rotate(180deg);font-size:.8rem}
table.groups td.num{padding-left:.2rem;padding-right:.45rem}
table.groups tbody th{min-width:9rem}
table.disagreements .unit-id{min-width:7rem;max-width:12rem;white-space:normal;overflow-wrap:anywhere}
td.unit-text{min-width:15rem}
#chart-cooccurrence{max-width:860px}
tr.total th,tr.total td{font-weight:700;border-bottom:2px solid var(--rule)}
tr.overall th,tr.overall td{background:#eef3f8;font-weight:700}
tr.has-note th,tr.has-note td{border-bottom:none}
tr.note td{padding-top:0;font-size:.78rem;color:var(--muted)}
td.kappa{font-weight:700}
table.rhetoric tbody{border-bottom:2px solid var(--rule)}
table.rhetoric tbody th{font-weight:600}
.legend{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:.15rem 1.5rem;font-size:.8rem;color:var(--muted)}
.legend div{display:flex;gap:.5rem}
.legend dt{min-width:5.5rem;font-weight:600;color:var(--ink)}
.legend dd{margin:0}
code,.unit-id,.hash{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.82em}
code.id{color:var(--muted)}
.unit-id{color:var(--muted);white-space:nowrap}
.hash{word-break:break-all}
.muted{color:var(--muted)}
.chip{display:inline-flex;align-items:center;gap:.3em;white-space:nowrap}
.swatch{display:inline-block;width:.75em;height:.75em;margin-right:.3em;border-radius:2px;vertical-align:baseline;print-color-adjust:exact;-webkit-print-color-adjust:exact}
.chip .swatch{margin-right:0}
.status{display:inline-block;padding:0 .5em;border:1px solid currentColor;border-radius:.8em;font-size:.78rem;white-space:nowrap}
.status-converge{color:#1b5e20;background:#e8f5e9}
.status-primary-only{color:#0d47a1;background:#e3f0fc}
.status-secondary-only{color:#6a1b9a;background:#f3e5f5}
.status-absent{color:#555;background:#f2f2f2}
.status-decided{color:#1b5e20;background:#e8f5e9}
.status-pending{color:#8a4b00;background:#fff3e0}
.rationale{margin-top:.25rem;font-size:.82rem}
.exemplar-group{margin-bottom:1.2rem}
.code-definition{color:var(--muted);font-size:.88rem}
blockquote{margin:.5rem 0 .1rem;padding:.1rem 0 .1rem .9rem;border-left:3px solid var(--rule)}
.exemplar figcaption{margin:0 0 .7rem .9rem;font-size:.8rem}
q{quotes:"\\201C" "\\201D"}
.note-box{padding:.7rem 1rem;border:1px dashed var(--rule)}
.caution-note{padding:.6rem 1rem;border-left:5px solid #b03a2e;background:#fbeeec}
.chip.caution{outline:1px dashed #b03a2e}
td.verdict-tentative{color:#8a5a00;font-weight:600}
td.verdict-unreliable,td.verdict-undefined{color:#b03a2e;font-weight:600}
@media (max-width:700px){html{font-size:14px}.masthead,main,footer{padding:0 14px}}
@media print{
@page{size:A4;margin:14mm 12mm}
html{font-size:9pt}
body{background:#fff;color:#000}
th,td{padding:.2rem .3rem}
td.ci{white-space:normal}
td.unit-text{min-width:10rem}
.masthead,main,footer{max-width:none;padding:0}
nav.toc{display:none}
main>section+section{break-before:page}
h2,h3{break-after:avoid}
figure.chart,.headline,.exemplar,tr{break-inside:avoid}
figure.chart svg{max-height:235mm}
svg{print-color-adjust:exact;-webkit-print-color-adjust:exact}
.table-wrap{overflow:visible}
.callout{background:none;border:1px solid #b8860b;border-left-width:5px}
tr.overall th,tr.overall td{background:none}
.status{background:none}
a{color:inherit;text-decoration:none}
footer{margin-top:1.5rem}
footer>p{break-after:avoid}
}
`;
