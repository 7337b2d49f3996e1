-- Normalised tables of the Chatbot Watch database. Constraints mirror schema.py.
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR);

CREATE TABLE vocabularies (
    vocabulary VARCHAR NOT NULL, id VARCHAR NOT NULL, label VARCHAR NOT NULL,
    description VARCHAR NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (vocabulary, id)
);

CREATE TABLE data_types (
    id VARCHAR PRIMARY KEY, label VARCHAR NOT NULL, category VARCHAR NOT NULL,
    category_label VARCHAR NOT NULL, description VARCHAR NOT NULL,
    apple_label VARCHAR, google_play_label VARCHAR
);

CREATE TABLE companies (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, country_code VARCHAR, country_name VARCHAR,
    city VARCHAR, kinds VARCHAR[], legal_names VARCHAR[], aliases VARCHAR[],
    parent_id VARCHAR, parent_since VARCHAR, ultimate_parent_id VARCHAR NOT NULL,
    chain_ids VARCHAR[] NOT NULL, ownership_chain VARCHAR NOT NULL, domains VARCHAR[], notes VARCHAR
);

CREATE TABLE company_parents (
    company_id VARCHAR NOT NULL, parent_id VARCHAR NOT NULL, since VARCHAR, until VARCHAR,
    note VARCHAR, position INTEGER NOT NULL
);

CREATE TABLE company_domains (company_id VARCHAR NOT NULL, domain VARCHAR NOT NULL);

CREATE TABLE apps (
    id VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, developer_id VARCHAR, platforms VARCHAR[],
    ios_app_id VARCHAR, android_package VARCHAR, website VARCHAR, aliases VARCHAR[], notes VARCHAR
);

CREATE TABLE findings (
    id VARCHAR PRIMARY KEY, app_id VARCHAR NOT NULL, platform VARCHAR, app_version VARCHAR,
    auditor VARCHAR NOT NULL, auditor_kind VARCHAR NOT NULL, auditor_country VARCHAR, method VARCHAR NOT NULL,
    audit_date VARCHAR, audit_day DATE, audit_precision VARCHAR,
    data_described VARCHAR[], recipient_described VARCHAR, domains VARCHAR[],
    recipient_countries VARCHAR[], evidence_status VARCHAR NOT NULL, evidence_class VARCHAR NOT NULL,
    status_described VARCHAR, distinct_from VARCHAR, notes VARCHAR
);

CREATE TABLE finding_data_types (finding_id VARCHAR NOT NULL, data_type_id VARCHAR NOT NULL, position INTEGER NOT NULL);
CREATE TABLE finding_recipients (finding_id VARCHAR NOT NULL, company_id VARCHAR NOT NULL, position INTEGER NOT NULL);

CREATE TABLE actions (
    id VARCHAR PRIMARY KEY, country_code VARCHAR NOT NULL, country_name VARCHAR NOT NULL,
    subdivision VARCHAR, subdivision_name VARCHAR, authority VARCHAR NOT NULL,
    action_type VARCHAR NOT NULL, action_described VARCHAR, scope VARCHAR NOT NULL,
    scope_described VARCHAR, status VARCHAR NOT NULL, status_described VARCHAR, notes VARCHAR,
    announced VARCHAR, announced_day DATE, announced_precision VARCHAR,
    effective VARCHAR, effective_day DATE, effective_precision VARCHAR,
    lifted VARCHAR, lifted_day DATE, lifted_precision VARCHAR, lifted_unknown VARCHAR
);

CREATE TABLE action_apps (action_id VARCHAR NOT NULL, app_id VARCHAR NOT NULL, position INTEGER NOT NULL);
CREATE TABLE action_companies (action_id VARCHAR NOT NULL, company_id VARCHAR NOT NULL, position INTEGER NOT NULL);

CREATE TABLE sources (
    id VARCHAR PRIMARY KEY, url VARCHAR NOT NULL, publisher VARCHAR NOT NULL,
    published VARCHAR, published_day DATE, accessed VARCHAR
);

CREATE TABLE record_sources (
    record_kind VARCHAR NOT NULL, record_id VARCHAR NOT NULL, position INTEGER NOT NULL,
    source_id VARCHAR NOT NULL, url VARCHAR NOT NULL, publisher VARCHAR NOT NULL,
    published VARCHAR, quote VARCHAR NOT NULL
);
