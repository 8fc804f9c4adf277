//! The KL6xx codes: findings of a live probe (`keylint lint --probe`).
//!
//! They are not core rules: the core has no network. They use the core's
//! [`Diagnostic`](keylint_core::Diagnostic) type and are listed by `keylint rules` and
//! explained by `keylint explain` next to the core rules.

use keylint_core::Severity;
use keylint_probe::Verdict;

/// One probe finding code.
#[derive(Clone, Copy, Debug)]
pub struct ProbeRule {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    pub doc: &'static str,
}

pub const PROBE_RULES: &[ProbeRule] = &[
    ProbeRule {
        code: "KL601",
        name: "rejected-key",
        severity: Severity::Error,
        summary: "The provider rejects the key: unknown, revoked or deactivated (only with --probe)",
        doc: r"
## What it does
With `--probe`, asks the provider's cheapest authenticated read (`GET …/models`, no
tokens spent) whether the key works, and reports the key when the provider answers
that it does not know it (401 `invalid_api_key`, Anthropic `authentication_error`,
Gemini `API_KEY_INVALID`, Azure `Access denied due to invalid subscription key`) or that
its account or organization is deactivated.

## Why
The file is well-formed, but every request with this key fails with `401`.

## Example
```
OPENAI_API_KEY=sk-proj-…old1   # revoked in the dashboard
```
Use instead a current key from the provider's keys page:
```
OPENAI_API_KEY=sk-proj-…new2
```
",
    },
    ProbeRule {
        code: "KL602",
        name: "org-or-project-mismatch",
        severity: Severity::Error,
        summary: "The key is valid, but the organization or project sent with it is not its own (only with --probe)",
        doc: r"
## What it does
With `--probe`, the key is probed with and without the configured `OpenAI-Organization`
/ `OpenAI-Project` headers. When the key works alone but is rejected with them
(401 `mismatched_organization`, or a project the key does not belong to), the
organization or project variable is the culprit, not the key.

## Why
The OpenAI SDKs send `OPENAI_ORG_ID` and `OPENAI_PROJECT_ID` with every request; a
stale id makes a good key fail with `401`.

## Example
```
OPENAI_API_KEY=sk-proj-…x9Qa
OPENAI_ORG_ID=org-from-another-account
```
Use instead (or remove the line: a project key does not need it):
```
OPENAI_API_KEY=sk-proj-…x9Qa
OPENAI_ORG_ID=org-of-this-key
```
",
    },
    ProbeRule {
        code: "KL603",
        name: "no-permission",
        severity: Severity::Warning,
        summary: "The key is valid but may not do this: restricted key, region, API disabled (only with --probe)",
        doc: r"
## What it does
With `--probe`, reports a key the provider recognizes but answers with `403`: a
restricted OpenAI key without the `models:read` scope, an unsupported region, or an
API not enabled for the Google project.

## Why
The key itself is fine, so replacing it is the wrong cure; its permissions are not.
A restricted key may still work for the calls the program makes.

## Example
A restricted key without `models:read`:
```
OPENAI_API_KEY=sk-proj-…r3st
```
Grant the permissions the program needs on the provider's keys page, or use a key
that has them.
",
    },
    ProbeRule {
        code: "KL604",
        name: "quota-or-rate-limit",
        severity: Severity::Warning,
        summary: "The key is valid but out of quota or credit, or rate-limited right now (only with --probe)",
        doc: r"
## What it does
With `--probe`, reports `429` answers: `insufficient_quota` (no credit left, the
account needs billing) apart from plain rate limiting (wait and retry).

## Why
The key is valid; the account is not able to serve requests right now.

## Example
```
OPENAI_API_KEY=sk-proj-…x9Qa   # the organization has no credit left
```
Add credit on the provider's billing page, or use a key of an account with quota.
",
    },
    ProbeRule {
        code: "KL605",
        name: "probe-unknown",
        severity: Severity::Info,
        summary: "The probe could not tell: network, TLS, timeout, 5xx, or the key was not sent (only with --probe)",
        doc: r"
## What it does
With `--probe`, reports a key whose probe did not give an answer about the key: no
network, a TLS or DNS failure, a timeout, a `5xx`, an unexpected answer, keylint's own
rate limit, or a base URL keylint refused to send the key to (a host from the
workspace that is not the provider's official host and not allowed with `--allow-host`).

## Why
`unknown` never means the key is bad. The message says what happened and what to do;
for a refused base URL, nothing was sent.

## Example
```
OPENAI_BASE_URL=https://proxy.example/v1   # not an official OpenAI host
OPENAI_API_KEY=sk-proj-…x9Qa
```
Trust the host explicitly, on the command line (never from the workspace):
```
keylint lint --probe --allow-host proxy.example
```
",
    },
    ProbeRule {
        code: "KL606",
        name: "probe-wrong-endpoint",
        severity: Severity::Warning,
        summary: "The base URL is not the provider's API: 404, Azure resource or deployment not found (only with --probe)",
        doc: r"
## What it does
With `--probe`, reports a key whose base URL does not answer like the provider's API:
a `404` for the models list, an Azure resource that does not exist, or an OpenAI base
URL without `/v1`.

## Why
The key was not judged; the requests of the program go to the wrong place.

## Example
```
OPENAI_BASE_URL=https://api.openai.com
```
Use instead:
```
OPENAI_BASE_URL=https://api.openai.com/v1
```
",
    },
];

/// The code of a verdict, or `None` for `ok`.
#[must_use]
pub fn rule_for(verdict: Verdict) -> Option<&'static ProbeRule> {
    let code = match verdict {
        Verdict::Ok => return None,
        Verdict::InvalidKey | Verdict::Deactivated => "KL601",
        Verdict::OrgMismatch | Verdict::ProjectMismatch => "KL602",
        Verdict::NoPermission => "KL603",
        Verdict::QuotaExhausted | Verdict::RateLimited => "KL604",
        Verdict::Unknown => "KL605",
        Verdict::WrongEndpoint => "KL606",
    };
    probe_rule(code)
}

/// The probe rule with this code (any case) or name.
#[must_use]
pub fn probe_rule(code_or_name: &str) -> Option<&'static ProbeRule> {
    let wanted = code_or_name.trim();
    PROBE_RULES
        .iter()
        .find(|rule| rule.code.eq_ignore_ascii_case(wanted) || rule.name == wanted)
}

/// Whether `--select`/`--ignore` keep this rule, with the core's matching
/// (codes, code prefixes such as `KL6`, names, `ALL`).
#[must_use]
pub fn is_enabled(rule: &ProbeRule, select: &[String], ignore: &[String]) -> bool {
    (select.is_empty() || select.iter().any(|selector| matches(rule, selector)))
        && !ignore.iter().any(|selector| matches(rule, selector))
}

/// Whether `selector` names this rule.
#[must_use]
pub fn matches(rule: &ProbeRule, selector: &str) -> bool {
    keylint_core::linter::selector_matches(rule.code, rule.name, selector)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_verdict_but_ok_has_a_code() {
        for verdict in Verdict::ALL {
            assert_eq!(rule_for(verdict).is_none(), verdict == Verdict::Ok);
        }
        assert_eq!(rule_for(Verdict::InvalidKey).unwrap().code, "KL601");
        assert_eq!(rule_for(Verdict::Unknown).unwrap().severity, Severity::Info);
    }

    #[test]
    fn codes_do_not_collide_with_core_rules() {
        for rule in PROBE_RULES {
            assert!(
                keylint_core::rules::rule(rule.code).is_none(),
                "{}",
                rule.code
            );
            assert!(
                keylint_core::rules::rule(rule.name).is_none(),
                "{}",
                rule.name
            );
        }
    }

    #[test]
    fn selection() {
        let rule = probe_rule("KL601").unwrap();
        assert!(is_enabled(rule, &[], &[]));
        assert!(is_enabled(rule, &["KL6".into()], &[]));
        assert!(!is_enabled(rule, &["KL1".into()], &[]));
        assert!(!is_enabled(rule, &[], &["rejected-key".into()]));
    }
}
