-- Analyses: the group's dated publications (title, authors, tags, Markdown body) with links to the
-- countries, sectors, projects and partnerships they discuss. The body is stored as written
-- (Markdown); it is rendered and sanitised on output, never stored as HTML.
CREATE TABLE analysis (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL UNIQUE CHECK (length(slug) > 0),
    title TEXT NOT NULL CHECK (length(title) > 0),
    published TEXT NOT NULL CHECK (length(published) = 10),
    authors TEXT NOT NULL DEFAULT '[]',
    body_markdown TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT NOT NULL
);

CREATE TABLE analysis_tag (
    analysis_id INTEGER NOT NULL REFERENCES analysis (id) ON DELETE CASCADE,
    tag TEXT NOT NULL CHECK (length(tag) > 0),
    PRIMARY KEY (analysis_id, tag)
);

CREATE TABLE analysis_link (
    analysis_id INTEGER NOT NULL REFERENCES analysis (id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('country', 'sector', 'project', 'partnership')),
    target TEXT NOT NULL CHECK (length(target) > 0),
    PRIMARY KEY (analysis_id, kind, target)
);

CREATE INDEX analysis_published ON analysis (published);
CREATE INDEX analysis_tag_tag ON analysis_tag (tag);
