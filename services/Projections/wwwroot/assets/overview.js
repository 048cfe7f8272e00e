  const el = (tag, text, cls) => { const e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };
  // Until the web application signs people in, the page takes an access token (read:aggregate) from its address's
  // fragment, which is never sent to a server: /#access_token=...
  const token = new URLSearchParams(location.hash.slice(1)).get('access_token');
  const authorised = token ? { headers: { Authorization: `Bearer ${token}` } } : {};
  const fetchOk = async path => { const r = await fetch(path, authorised); if (!r.ok) throw new Error(`${path}: ${r.status}`); return r; };
  const get = async path => (await fetchOk(path)).json();
  let dashboard;

  async function load() {
    dashboard = await get('/api/v1/dashboard');
    document.getElementById('subtitle').textContent =
      `${dashboard.units.length} units · ${dashboard.indicators.length} indicators · data to ${dashboard.lastFullMonth}`;
    const body = document.querySelector('#units tbody');
    body.replaceChildren();
    for (const u of dashboard.units) {
      const row = el('tr');
      row.append(el('td', u.name), el('td'), el('td', u.goLive ?? '–'),
        el('td', u.improvementSignals, 'num improvement'), el('td', u.concernSignals, 'num concern'),
        el('td', `${Math.round(u.completeness * 100)}%`, 'num'), el('td', u.overdueIndicators, 'num'));
      row.children[1].append(el('span', u.role, `tag ${u.role}`));
      row.dataset.unit = u.unitId;
      body.append(row);
    }
    const select = document.getElementById('indicator');
    select.replaceChildren(...dashboard.indicators
      .filter(i => dashboard.units.some(u => u.indicators.some(c => c.indicatorId === i.indicatorId)))
      .map(i => Object.assign(el('option', `${i.domain} – ${i.name}`), { value: i.indicatorId })));
    select.onchange = () => showIndicator(select.value);
    if (select.value) await showIndicator(select.value);
  }

  async function showIndicator(indicatorId) {
    const charts = document.getElementById('charts');
    charts.replaceChildren();
    const verdict = document.getElementById('verdict');
    verdict.textContent = '';
    const units = dashboard.units.filter(u => u.indicators.some(c => c.indicatorId === indicatorId));
    const intervention = units.find(u => u.role === 'intervention');
    if (intervention) {
      try {
        const c = await get(`/api/v1/comparison/${encodeURIComponent(indicatorId)}/${encodeURIComponent(intervention.unitId)}`);
        verdict.textContent = `${intervention.name}: ${c.unique} special cause(s) unique to the intervention unit, ${c.shared} shared with comparison units` +
          (c.baselinePoints ? ` (limits fixed on the ${c.baselinePoints} months before go-live)` : '') + '.';
      } catch (e) { verdict.append(el('span', e.message, 'error')); }
    }
    for (const u of units) {
      const figure = el('figure');
      const img = el('img');
      img.alt = `${indicatorId} for ${u.name}`;
      img.loading = 'lazy';
      img.dataset.chart = `/api/v1/spc/${encodeURIComponent(indicatorId)}/${encodeURIComponent(u.unitId)}/chart.svg`;
      fetchOk(img.dataset.chart).then(r => r.blob()).then(svg => { img.src = URL.createObjectURL(svg); })
        .catch(() => { img.alt += ' (not available)'; });
      figure.append(img, el('figcaption', `${u.name} (${u.role})`));
      figure.dataset.unit = u.unitId;
      charts.append(figure);
    }
  }

  load().catch(e => document.getElementById('subtitle').replaceChildren(el('span', `Could not load the dashboard: ${e.message}`, 'error')));
