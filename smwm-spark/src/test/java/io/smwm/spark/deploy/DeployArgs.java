package io.smwm.spark.deploy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the argument lists out of the deploy files for {@link DeployFilesTest}: Python string constants and literal
 * lists of the Airflow DAG (no Airflow, no Python needed), Airflow's Jinja placeholders rendered with the defaults
 * the DAG declares, and spark-submit command lines split into spark-submit's options and the application's arguments.
 */
final class DeployArgs {
    private DeployArgs() {}

    /** A spark-submit command line: its options (repeatable ones such as --conf in order), the jar, the app's args. */
    record SubmitLine(Map<String, List<String>> options, String primaryResource, List<String> appArgs) {
        String option(String name) {
            List<String> v = options.get(name);
            return v == null ? null : v.get(v.size() - 1);
        }

        /** The value of {@code --conf key=value}, or null. */
        String conf(String key) {
            for (String c : options.getOrDefault("--conf", List.of())) {
                if (c.startsWith(key + "=")) return c.substring(key.length() + 1);
            }
            return null;
        }
    }

    private static final Set<String> SUBMIT_FLAGS = Set.of("--verbose", "-v", "--supervise", "--help", "-h",
            "--version");

    /**
     * Splits spark-submit's arguments (without the spark-submit binary itself) the way spark-submit does: options up
     * to the first argument that is not an option (the primary resource), everything after it is the application's.
     */
    static SubmitLine splitSubmit(List<String> args) {
        Map<String, List<String>> opts = new LinkedHashMap<>();
        int i = 0;
        while (i < args.size() && args.get(i).startsWith("-")) {
            String a = args.get(i);
            if (SUBMIT_FLAGS.contains(a)) {
                opts.computeIfAbsent(a, k -> new ArrayList<>()).add("");
                i++;
            } else if (a.startsWith("--") && a.contains("=")) {
                int eq = a.indexOf('=');
                opts.computeIfAbsent(a.substring(0, eq), k -> new ArrayList<>()).add(a.substring(eq + 1));
                i++;
            } else {
                if (i + 1 >= args.size()) throw new IllegalArgumentException("spark-submit option " + a + " has no value");
                opts.computeIfAbsent(a, k -> new ArrayList<>()).add(args.get(i + 1));
                i += 2;
            }
        }
        if (i >= args.size()) throw new IllegalArgumentException("no application jar in " + args);
        return new SubmitLine(opts, args.get(i), List.copyOf(args.subList(i + 1, args.size())));
    }

    // ---------------------------------------------------------------------------------------------- Python literals

    /** Module-level {@code NAME = "..."} constants (adjacent literals and a parenthesised group of them). */
    static Map<String, String> pythonStringConstants(String src) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^([A-Z_][A-Z0-9_]*)\\s*=[ \\t]*").matcher(src);
        while (m.find()) {
            Cursor c = new Cursor(src, m.end());
            try {
                String v;
                if (c.peek() == '(') {
                    c.pos++;
                    v = c.strings(true);
                    c.skipSpace(true);
                    if (c.peek() != ')') continue;
                } else {
                    v = c.strings(false);
                    c.skipSpace(false);
                    if (c.pos < src.length() && c.peek() != '\n') continue; // an expression, not a plain string
                }
                if (v != null) out.put(m.group(1), v);
            } catch (IllegalArgumentException e) {
                // not a string constant
            }
        }
        return out;
    }

    /** Every {@code application_args=...} of the DAG: a literal list, or the name of a module-level literal list. */
    static List<List<String>> pythonApplicationArgs(String src, Map<String, String> constants) {
        List<List<String>> out = new ArrayList<>();
        Matcher m = Pattern.compile("application_args\\s*=\\s*").matcher(src);
        while (m.find()) {
            Cursor c = new Cursor(src, m.end());
            if (c.peek() == '[') {
                out.add(c.list(constants));
            } else {
                String name = c.name();
                Matcher def = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s*=\\s*\\[").matcher(src);
                if (!def.find()) throw new IllegalArgumentException("application_args=" + name + ": " + name
                        + " is not a module-level literal list; DeployFilesTest can only check literal lists");
                out.add(new Cursor(src, def.end() - 1).list(constants));
            }
        }
        return out;
    }

    /** A cursor over Python source that reads string literals, names and lists of them. */
    private static final class Cursor {
        final String s;
        int pos;

        Cursor(String s, int pos) {
            this.s = s;
            this.pos = pos;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : '\0';
        }

        void skipSpace(boolean newlines) {
            while (pos < s.length()) {
                char ch = s.charAt(pos);
                if (ch == ' ' || ch == '\t' || ch == '\r' || (newlines && ch == '\n')) {
                    pos++;
                } else if (ch == '#') { // a comment runs to the end of the line
                    while (pos < s.length() && s.charAt(pos) != '\n') pos++;
                } else {
                    break;
                }
            }
        }

        /** Adjacent string literals concatenated, or null if there is none here. */
        String strings(boolean newlines) {
            StringBuilder b = null;
            while (true) {
                skipSpace(newlines);
                char q = peek();
                if (q != '"' && q != '\'') return b == null ? null : b.toString();
                if (b == null) b = new StringBuilder();
                b.append(string());
            }
        }

        String string() {
            char q = s.charAt(pos);
            if (s.startsWith(String.valueOf(q).repeat(3), pos))
                throw new IllegalArgumentException("triple-quoted strings are not read");
            StringBuilder b = new StringBuilder();
            pos++;
            while (true) {
                if (pos >= s.length() || s.charAt(pos) == '\n')
                    throw new IllegalArgumentException("unterminated string at " + pos);
                char ch = s.charAt(pos++);
                if (ch == q) return b.toString();
                if (ch == '\\') {
                    char e = s.charAt(pos++);
                    b.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        default -> e;
                    });
                } else {
                    b.append(ch);
                }
            }
        }

        String name() {
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) pos++;
            if (pos == start) throw new IllegalArgumentException("expected a name at " + context(start));
            return s.substring(start, pos);
        }

        List<String> list(Map<String, String> constants) {
            if (peek() != '[') throw new IllegalArgumentException("expected [ at " + context(pos));
            pos++;
            List<String> out = new ArrayList<>();
            while (true) {
                skipSpace(true);
                if (peek() == ']') {
                    pos++;
                    return out;
                }
                String v = strings(true);
                if (v == null) {
                    int at = pos;
                    String n = name();
                    v = constants.get(n);
                    if (v == null) throw new IllegalArgumentException(n + " (at " + context(at) + ") is not a "
                            + "module-level string constant; application_args must be literal lists of strings");
                }
                out.add(v);
                skipSpace(true);
                if (peek() == ',') pos++;
                else if (peek() != ']') throw new IllegalArgumentException("expected , or ] at " + context(pos)
                        + "; application_args must be literal lists of strings");
            }
        }

        String context(int at) {
            return "'" + s.substring(at, Math.min(s.length(), at + 40)).replace("\n", "\\n") + "'";
        }
    }

    // ---------------------------------------------------------------------------------------------- Jinja

    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{\\s*(.*?)\\s*}}");
    private static final Pattern VAR_GET = Pattern.compile("var\\.value\\.get\\(\\s*'([^']*)'\\s*,\\s*'([^']*)'\\s*\\)");
    private static final Pattern PARAM = Pattern.compile("params\\.(\\w+)");
    private static final Pattern PARAM_DEFAULT = Pattern.compile(
            "\"(\\w+)\"\\s*:\\s*Param\\(\\s*(\"[^\"]*\"|'[^']*'|[^,)\\s]+)");
    /** Airflow's own template variables (dates and run ids) stand in as a date: a valid path part, long and int. */
    private static final Set<String> AIRFLOW_MACROS = Set.of("ds", "ds_nodash", "ts", "ts_nodash", "run_id",
            "logical_date", "data_interval_start", "data_interval_end");

    /** The DAG's params with their defaults as Jinja prints them (Python's str: True, 1000, text). */
    static Map<String, String> pythonParamDefaults(String src) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = PARAM_DEFAULT.matcher(src);
        while (m.find()) {
            String v = m.group(2);
            if (v.startsWith("\"") || v.startsWith("'")) v = v.substring(1, v.length() - 1);
            out.put(m.group(1), v);
        }
        return out;
    }

    /**
     * Renders the Jinja placeholders of one argument the way Airflow would with nothing configured: Variables take
     * the default given in {@code var.value.get('name', 'default')}, params their declared default; the filter
     * {@code lower} is applied. Anything else (an unknown param, another filter or expression) is an error, so a
     * renamed param fails too.
     */
    static String renderJinja(String arg, Map<String, String> params) {
        return TEMPLATE.matcher(arg).replaceAll(mr -> Matcher.quoteReplacement(expression(mr.group(1), params, arg)));
    }

    private static String expression(String expr, Map<String, String> params, String arg) {
        String[] parts = expr.split("\\|");
        String base = parts[0].trim();
        String v;
        Matcher m;
        if ((m = VAR_GET.matcher(base)).matches()) v = m.group(2);
        else if ((m = PARAM.matcher(base)).matches()) {
            v = params.get(m.group(1));
            if (v == null) throw new IllegalArgumentException("'" + arg + "' uses params." + m.group(1)
                    + ", which the DAG does not declare (declared: " + params.keySet() + ")");
        } else if (AIRFLOW_MACROS.contains(base)) v = "20260101";
        else throw new IllegalArgumentException("'" + arg + "': cannot render {{ " + expr + " }}");
        for (int i = 1; i < parts.length; i++) {
            String f = parts[i].trim();
            if (f.equals("lower")) v = v.toLowerCase(java.util.Locale.ROOT);
            else throw new IllegalArgumentException("'" + arg + "': unknown Jinja filter " + f);
        }
        return v;
    }

    // ---------------------------------------------------------------------------------------------- Kubernetes

    private static final Pattern K8S_VAR = Pattern.compile("\\$\\((\\w+)\\)");

    /** Kubernetes' {@code $(VAR)} expansion in container args, from the container's literal env values. */
    static String expandK8s(String arg, Function<String, String> env) {
        return K8S_VAR.matcher(arg).replaceAll(mr -> {
            String v = env.apply(mr.group(1));
            if (v == null) throw new IllegalArgumentException("'" + arg + "': $(" + mr.group(1)
                    + ") is not a literal env value of the container");
            return Matcher.quoteReplacement(v);
        });
    }
}
