-- The two public, stable views. Column names and meanings are documented in data/README.md.

-- flows: one row per finding x data type x named recipient (one row with a NULL company
-- where the finding names no recipient company); superseded findings are left out.
CREATE VIEW flows AS
WITH first_source AS (
    SELECT record_id, url, publisher, published, quote, language, translation, kind FROM record_sources
    WHERE record_kind = 'finding' AND position = 0
), n_sources AS (
    SELECT record_id, count(*) AS n FROM record_sources WHERE record_kind = 'finding' GROUP BY record_id
)
SELECT
    f.id AS finding_id,
    f.app_id,
    a.name AS app_name,
    a.developer_id AS app_developer_id,
    dv.country_code AS app_country,
    f.platform,
    f.app_version,
    c.id AS company_id,
    c.name AS company_name,
    c.country_code AS company_country,
    c.parent_id AS parent_company_id,
    p.name AS parent_company_name,
    c.ultimate_parent_id,
    u.name AS ultimate_parent_name,
    c.ownership_chain,
    f.recipient_described,
    fd.data_type_id,
    dt.label AS data_type_label,
    dt.category AS data_category,
    f.recipient_countries,
    f.domains,
    f.evidence_status,
    ev.label AS evidence_label,
    f.evidence_class,
    f.auditor,
    f.auditor_kind,
    f.auditor_country,
    f.method,
    f.audit_date,
    f.audit_day,
    s.url AS source_url,
    s.publisher AS source_publisher,
    s.published AS source_published,
    s.quote AS source_quote,
    s.language AS source_language,
    s.translation AS source_translation,
    s.kind AS source_kind,
    ns.n AS source_count
FROM findings f
JOIN apps a ON a.id = f.app_id
LEFT JOIN companies dv ON dv.id = a.developer_id
JOIN finding_data_types fd ON fd.finding_id = f.id
JOIN data_types dt ON dt.id = fd.data_type_id
LEFT JOIN finding_recipients fr ON fr.finding_id = f.id
LEFT JOIN companies c ON c.id = fr.company_id
LEFT JOIN companies p ON p.id = c.parent_id
LEFT JOIN companies u ON u.id = c.ultimate_parent_id
LEFT JOIN vocabularies ev ON ev.vocabulary = 'evidence_status' AND ev.id = f.evidence_status
LEFT JOIN first_source s ON s.record_id = f.id
LEFT JOIN n_sources ns ON ns.record_id = f.id
-- A superseded finding is recorded again by a later one on stronger or final evidence: it stays
-- in `findings` (and on its record page) but is not counted twice.
WHERE f.superseded_by IS NULL;

-- restrictions: one row per action x app (one row with a NULL app where the action names
-- only companies).
CREATE VIEW restrictions AS
WITH first_source AS (
    SELECT record_id, url, publisher, published, quote, language, translation, kind FROM record_sources
    WHERE record_kind = 'action' AND position = 0
), n_sources AS (
    SELECT record_id, count(*) AS n FROM record_sources WHERE record_kind = 'action' GROUP BY record_id
), targets AS (
    SELECT ac.action_id, list(c.name ORDER BY ac.position) AS companies
    FROM action_companies ac JOIN companies c ON c.id = ac.company_id GROUP BY ac.action_id
)
SELECT
    x.id AS action_id,
    x.country_code,
    x.country_name,
    x.subdivision,
    x.subdivision_name,
    x.authority,
    x.action_type,
    vt.label AS action_type_label,
    x.scope,
    vs.label AS scope_label,
    aa.app_id,
    a.name AS app_name,
    t.companies,
    x.announced,
    x.announced_day,
    x.effective,
    x.effective_day,
    x.lifted,
    x.lifted_day,
    x.status,
    vst.label AS status_label,
    vst.view_class AS status_class,
    vt.view_class = 'restricts' AS restricts,
    x.action_described,
    x.scope_described,
    x.status_described,
    s.url AS source_url,
    s.publisher AS source_publisher,
    s.published AS source_published,
    s.quote AS source_quote,
    s.language AS source_language,
    s.translation AS source_translation,
    s.kind AS source_kind,
    ns.n AS source_count
FROM actions x
LEFT JOIN action_apps aa ON aa.action_id = x.id
LEFT JOIN apps a ON a.id = aa.app_id
LEFT JOIN targets t ON t.action_id = x.id
LEFT JOIN vocabularies vt ON vt.vocabulary = 'action_types' AND vt.id = x.action_type
LEFT JOIN vocabularies vs ON vs.vocabulary = 'scopes' AND vs.id = x.scope
LEFT JOIN vocabularies vst ON vst.vocabulary = 'action_status' AND vst.id = x.status
LEFT JOIN first_source s ON s.record_id = x.id
LEFT JOIN n_sources ns ON ns.record_id = x.id;

-- The app reads materialised copies of the two views (same columns), so that a filter change
-- scans one table instead of re-running the joins. Rebuilt with every build.
CREATE TABLE app_flows AS SELECT * FROM flows;
CREATE TABLE app_restrictions AS SELECT * FROM restrictions;
