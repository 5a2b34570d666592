/**
 * SQL functions that read HubSpot's strings the way a JavaScript client does, and the two interval
 * formulas. Written from DESIGN.md and the ECMAScript rules, not from closeloop's code.
 */

// ECMAScript WhiteSpace and LineTerminator: what String.prototype.trim and Number() strip.
const JS_SPACE = String.raw`[\u0009-\u000d\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]`;

/** Φ⁻¹(0.975): 1.959964 to six decimals; the full value, since intervals are compared to 1e-9. */
export const Z_975 = '1.959963984540054';

const TEXT = `
CREATE FUNCTION js_trim(value text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT regexp_replace(value, '^${JS_SPACE}+|${JS_SPACE}+$', '', 'g')
$$;

-- HubSpot datetimes: epoch ms (10+ digits) or ISO strings; anything else is no date.
CREATE FUNCTION hs_ms(value text) RETURNS float8 LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE t text := js_trim(value);
BEGIN
  IF t IS NULL OR t = '' THEN RETURN NULL; END IF;
  IF t ~ '^[0-9]{10,}$' THEN RETURN t::float8; END IF;
  IF t !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}' THEN RETURN NULL; END IF;
  RETURN (extract(epoch FROM t::timestamptz) * 1000)::float8;
EXCEPTION WHEN others THEN RETURN NULL;
END $$;

CREATE FUNCTION radix_value(digits text, radix int) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE result numeric := 0; ch text;
BEGIN
  FOREACH ch IN ARRAY regexp_split_to_array(lower(digits), '') LOOP
    result := result * radix + position(ch IN '0123456789abcdef') - 1;
  END LOOP;
  RETURN result;
END $$;

-- JavaScript's Number(): decimal, 0x/0b/0o literals; blank or not finite is no number.
CREATE FUNCTION js_number(value text) RETURNS numeric LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE t text := js_trim(value); v numeric;
BEGIN
  IF t IS NULL OR t = '' THEN RETURN NULL; END IF;
  IF t ~* '^0x[0-9a-f]+$' THEN v := radix_value(substr(t, 3), 16);
  ELSIF t ~* '^0b[01]+$' THEN v := radix_value(substr(t, 3), 2);
  ELSIF t ~* '^0o[0-7]+$' THEN v := radix_value(substr(t, 3), 8);
  ELSIF t ~ '^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$' THEN v := t::numeric;
  ELSE RETURN NULL;
  END IF;
  -- Past the largest double Number() gives Infinity, which is no amount.
  PERFORM v::float8;
  RETURN v;
EXCEPTION WHEN others THEN RETURN NULL;
END $$;

CREATE TYPE rate_interval AS (rate float8, low float8, high float8);

-- Wilson score interval, 95 %, no continuity correction; bounds exact at p = 0 and p = 1.
CREATE FUNCTION wilson(successes float8, trials float8) RETURNS rate_interval LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN NOT (trials > 0) THEN ROW(NULL, NULL, NULL)::rate_interval ELSE ROW(
    p,
    CASE WHEN p = 0 THEN 0 ELSE greatest(0, (centre - spread) / denominator) END,
    CASE WHEN p = 1 THEN 1 ELSE least(1, (centre + spread) / denominator) END)::rate_interval END
  FROM (SELECT p, p + z * z / (2 * trials) AS centre,
               z * sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) AS spread,
               1 + z * z / trials AS denominator
        FROM (SELECT least(1, greatest(0, successes / trials)) AS p, ${Z_975}::float8 AS z) AS a) AS b
$$;

-- Cumulative incidence at H when nobody is censored before H: the plain proportion, its
-- binomial variance F(1 − F)/n on the log(−log) scale; at 0 or 1 the exact binomial bound.
CREATE FUNCTION uncensored_incidence(events float8, n float8) RETURNS rate_interval LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN events = 0 THEN ROW(0, 0, 1 - power(0.025::float8, 1 / n))::rate_interval
    WHEN events = n THEN ROW(1, power(0.025::float8, 1 / n), 1)::rate_interval
    ELSE ROW(f, power(f, spread), power(f, 1 / spread))::rate_interval END
  FROM (SELECT f, exp(${Z_975}::float8 * sqrt(f * (1 - f) / n) / (f * abs(ln(f)))) AS spread
        FROM (SELECT events / n AS f) AS a) AS b
$$;

-- A fraction as a whole percent (half up); both neighbours within 1e-9 of a half are accepted.
CREATE FUNCTION percent_choices(f float8) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN f IS NULL THEN ARRAY['']
    ELSE ARRAY(SELECT DISTINCT floor(f * 100 + 0.5 + d)::bigint::text FROM unnest(ARRAY[-1e-7, 1e-7]) AS d) END
$$;

-- One decimal, half away from zero (JavaScript's toFixed(1)); empty when there is no value.
CREATE FUNCTION tenths_choices(x float8) RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN x IS NULL THEN ARRAY[''] ELSE ARRAY(
    SELECT DISTINCT CASE WHEN x < 0 THEN '-' ELSE '' END || (n / 10)::text || '.' || (n % 10)::text
    FROM (SELECT floor(abs(x) * 10 + 0.5 + d)::bigint AS n FROM unnest(ARRAY[-1e-8, 1e-8]) AS d) AS t) END
$$;
`;

/** The statements that create the functions, in order. */
export function functionStatements(): string {
  return TEXT;
}
