// kg export --format html: draws the graph embedded in #kg-data (positions computed by kg),
// with pan (drag), zoom (wheel, buttons), search, and a side panel showing a clicked entity's
// attributes, relations and their evidence. Every text of the data is set with textContent.
(function () {
  'use strict';

  const SVG = 'http://www.w3.org/2000/svg';
  const data = JSON.parse(document.getElementById('kg-data').textContent);
  const canvas = document.getElementById('canvas');
  const viewport = document.getElementById('viewport');
  const panel = document.getElementById('panel');
  const search = document.getElementById('search');
  const results = document.getElementById('results');
  const legend = document.getElementById('legend');

  function svg(name, attributes, parent) {
    const element = document.createElementNS(SVG, name);
    for (const key in attributes) {
      element.setAttribute(key, attributes[key]);
    }
    if (parent) {
      parent.appendChild(element);
    }
    return element;
  }

  function html(name, text, parent, className) {
    const element = document.createElement(name);
    if (text !== undefined && text !== null) {
      element.textContent = text;
    }
    if (className) {
      element.className = className;
    }
    if (parent) {
      parent.appendChild(element);
    }
    return element;
  }

  // As kg folds names: compatibility decomposition, no combining marks, lower case, letters
  // and digits only, words separated by one space.
  function fold(text) {
    let out = '';
    let space = false;
    for (const c of String(text).normalize('NFKD')) {
      if (/\p{M}/u.test(c)) {
        continue;
      }
      if (/[\p{L}\p{N}]/u.test(c)) {
        if (space && out) {
          out += ' ';
        }
        space = false;
        out += c.toLowerCase();
      } else if (/[\s_-]/u.test(c)) {
        space = true;
      }
    }
    return out;
  }

  // Who touches what.
  const incident = data.nodes.map(() => []);
  data.edges.forEach((edge, i) => {
    incident[edge.s].push(i);
    if (edge.t !== edge.s) {
      incident[edge.t].push(i);
    }
  });

  // Drawing.
  const edgeLayer = svg('g', { class: 'edges' }, viewport);
  const nodeLayer = svg('g', { class: 'nodes' }, viewport);
  const edgeElements = data.edges.map((edge, i) => {
    const group = svg('g', { class: 'edge', 'data-index': i }, edgeLayer);
    svg('path', { d: edge.path, 'marker-end': 'url(#arrow)' }, group);
    const label = svg('text', { x: edge.lx, y: edge.ly + 3.3, 'text-anchor': 'middle' }, group);
    label.textContent = edge.label;
    return group;
  });
  const nodeElements = data.nodes.map((node, i) => {
    const group = svg('g', { class: 'node', 'data-index': i, 'data-id': node.id, 'data-label': node.label }, nodeLayer);
    const title = svg('title', {}, group);
    const cls = data.classes[node.class];
    title.textContent = cls ? node.label + ' (' + cls.label + ')' : node.label;
    svg('rect', {
      x: node.x - node.w / 2,
      y: node.y - node.h / 2,
      width: node.w,
      height: node.h,
      rx: 6,
      fill: cls ? cls.fill : '#e4e4e4',
      stroke: cls ? cls.stroke : '#808080',
    }, group);
    const top = node.y - node.h / 2;
    node.lines.forEach((line, n) => {
      const text = svg('text', { x: node.x, y: top + 6 + n * 15 + 11.4, 'text-anchor': 'middle' }, group);
      text.textContent = line;
    });
    group.addEventListener('click', (event) => {
      if (!moved) {
        select(i);
      }
      event.stopPropagation();
    });
    return group;
  });

  // Legend: click a class to outline its entities.
  data.classes.forEach((cls, c) => {
    const item = html('li', null, legend);
    const button = html('button', null, item);
    const swatch = html('span', null, button, 'swatch');
    swatch.style.background = cls.fill;
    swatch.style.borderColor = cls.stroke;
    button.appendChild(document.createTextNode(cls.label + ' (' + cls.count + ')'));
    button.addEventListener('click', () => {
      const on = !button.classList.contains('on');
      legend.querySelectorAll('button.on').forEach((b) => b.classList.remove('on'));
      nodeElements.forEach((element, i) => element.classList.toggle('match', on && data.nodes[i].class === c));
      button.classList.toggle('on', on);
    });
  });

  // Pan and zoom.
  const view = { x: 0, y: 0, k: 1 };
  function apply() {
    viewport.setAttribute('transform', 'translate(' + view.x + ',' + view.y + ') scale(' + view.k + ')');
    canvas.classList.toggle('far', view.k < 0.45);
  }
  const legendBox = document.getElementById('legend-box');
  function fit() {
    const width = canvas.clientWidth || 800;
    // Leave the legend's strip at the bottom free while it is open.
    const height = Math.max(100, (canvas.clientHeight || 600) - (legendBox.open ? legendBox.offsetHeight + 10 : 0));
    view.k = Math.max(0.02, Math.min(1.5, 0.96 * Math.min(width / data.width, height / data.height)));
    view.x = (width - data.width * view.k) / 2;
    view.y = (height - data.height * view.k) / 2;
    apply();
  }
  function zoomAt(px, py, factor) {
    const k = Math.max(0.02, Math.min(8, view.k * factor));
    view.x = px - (px - view.x) * (k / view.k);
    view.y = py - (py - view.y) * (k / view.k);
    view.k = k;
    apply();
  }
  function centreOn(i) {
    const node = data.nodes[i];
    view.k = Math.max(view.k, 0.9);
    view.x = canvas.clientWidth / 2 - node.x * view.k;
    view.y = canvas.clientHeight / 2 - node.y * view.k;
    apply();
  }
  canvas.addEventListener('wheel', (event) => {
    event.preventDefault();
    const box = canvas.getBoundingClientRect();
    zoomAt(event.clientX - box.left, event.clientY - box.top, Math.exp(-event.deltaY * 0.0015));
  }, { passive: false });
  let drag = null;
  let moved = false;
  canvas.addEventListener('pointerdown', (event) => {
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    moved = false;
  });
  window.addEventListener('pointermove', (event) => {
    if (!drag) {
      return;
    }
    const dx = event.clientX - drag.x;
    const dy = event.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) {
      moved = true;
      canvas.classList.add('dragging');
    }
    view.x = drag.vx + dx;
    view.y = drag.vy + dy;
    apply();
  });
  window.addEventListener('pointerup', () => {
    drag = null;
    canvas.classList.remove('dragging');
  });
  canvas.addEventListener('click', () => {
    if (!moved) {
      clear();
    }
  });
  document.getElementById('zoom-in').addEventListener('click', () => zoomAt(canvas.clientWidth / 2, canvas.clientHeight / 2, 1.4));
  document.getElementById('zoom-out').addEventListener('click', () => zoomAt(canvas.clientWidth / 2, canvas.clientHeight / 2, 1 / 1.4));
  document.getElementById('fit').addEventListener('click', fit);
  legendBox.addEventListener('toggle', fit);
  window.addEventListener('resize', fit);

  // Selection and the side panel.
  let selected = -1;
  function clear() {
    selected = -1;
    canvas.classList.remove('focus');
    nodeLayer.querySelectorAll('.selected, .near').forEach((e) => e.classList.remove('selected', 'near'));
    edgeLayer.querySelectorAll('.near').forEach((e) => e.classList.remove('near'));
    panel.classList.remove('open');
    panel.replaceChildren();
  }
  function evidenceList(items, parent) {
    if (!items.length) {
      return;
    }
    const list = html('ul', null, parent, 'evidence');
    items.forEach((item) => {
      let where = item.document;
      if (item.sentence !== null && item.sentence !== undefined) {
        where += ', sentence ' + item.sentence;
      }
      if (item.date) {
        where += ' · ' + item.date;
      }
      const entry = html('li', where, list);
      if (item.text) {
        html('blockquote', item.text, entry);
      }
    });
  }
  function select(i) {
    clear();
    selected = i;
    const node = data.nodes[i];
    canvas.classList.add('focus');
    nodeElements[i].classList.add('selected');
    incident[i].forEach((e) => {
      const edge = data.edges[e];
      edgeElements[e].classList.add('near');
      nodeElements[edge.s].classList.add('near');
      nodeElements[edge.t].classList.add('near');
    });

    const close = html('button', '×', panel, 'close');
    close.setAttribute('aria-label', 'close');
    close.addEventListener('click', clear);
    html('h2', node.label, panel);
    const cls = data.classes[node.class];
    if (cls) {
      const chip = html('span', cls.label, panel, 'class');
      chip.style.background = cls.fill;
      chip.style.borderColor = cls.stroke;
    }
    html('code', node.iri, panel);
    if (node.description) {
      html('p', node.description, panel);
    }
    const rows = [['id', node.id], ['classes', node.classes]].concat(node.attributes);
    const table = html('table', null, panel);
    rows.forEach((row) => {
      if (row[1] === '' || row[1] === null || row[1] === undefined) {
        return;
      }
      const tr = html('tr', null, table);
      html('td', row[0], tr);
      html('td', String(row[1]), tr);
    });

    const relations = incident[i].map((e) => {
      const edge = data.edges[e];
      const out = edge.s === i;
      return { edge: edge, out: out, other: out ? edge.t : edge.s };
    });
    relations.sort((a, b) => (b.out - a.out) || a.edge.label.localeCompare(b.edge.label)
      || data.nodes[a.other].label.localeCompare(data.nodes[b.other].label));
    html('h3', 'Relations (' + relations.length + ')', panel);
    if (!relations.length) {
      html('p', 'No relation to another entity.', panel, 'hint');
    }
    const list = html('ul', null, panel, 'relations');
    relations.forEach((relation) => {
      const item = html('li', null, list);
      html('span', relation.out ? '→ ' : '← ', item);
      html('span', relation.edge.label + ' ', item, 'predicate');
      const other = html('button', data.nodes[relation.other].label, item, 'other');
      other.addEventListener('click', () => {
        select(relation.other);
        centreOn(relation.other);
      });
      // Values stated on the fact itself (which meeting of a series, the extent of a claim).
      relation.edge.qualifiers.forEach((pair) => {
        html('span', ' · ' + pair[0] + ': ' + String(pair[1]), item, 'qualifier');
      });
      evidenceList(relation.edge.evidence, item);
    });
    panel.classList.add('open');
    panel.scrollTop = 0;
  }

  // Search.
  const names = data.nodes.map((node) => (node.names.length ? node.names : [fold(node.label), fold(node.id)]));
  function matches(query) {
    const q = fold(query);
    if (!q) {
      return [];
    }
    // Best first: a name that is the query, then one starting with it, then one holding it.
    const found = [];
    names.forEach((list, i) => {
      let rank = 3;
      list.forEach((name) => {
        if (name === q) {
          rank = Math.min(rank, 0);
        } else if (name.startsWith(q)) {
          rank = Math.min(rank, 1);
        } else if (name.includes(q)) {
          rank = Math.min(rank, 2);
        }
      });
      if (rank < 3) {
        found.push({ i: i, rank: rank });
      }
    });
    found.sort((a, b) => a.rank - b.rank || data.nodes[a.i].label.localeCompare(data.nodes[b.i].label));
    return found.slice(0, 12).map((f) => f.i);
  }
  function choose(i) {
    results.replaceChildren();
    select(i);
    centreOn(i);
  }
  search.addEventListener('input', () => {
    results.replaceChildren();
    matches(search.value).forEach((i) => {
      const item = html('li', null, results);
      const button = html('button', data.nodes[i].label, item);
      const cls = data.classes[data.nodes[i].class];
      if (cls) {
        html('small', cls.label, button);
      }
      button.addEventListener('click', () => choose(i));
    });
  });
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      const found = matches(search.value);
      if (found.length) {
        choose(found[0]);
      }
    } else if (event.key === 'Escape') {
      search.value = '';
      results.replaceChildren();
    }
  });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && selected >= 0) {
      clear();
    } else if (event.key === '/' && document.activeElement !== search) {
      event.preventDefault();
      search.focus();
    }
  });

  fit();
  document.body.setAttribute('data-ready', 'true');
})();
