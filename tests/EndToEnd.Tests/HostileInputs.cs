using System.Text;
using System.Text.Json.Nodes;

namespace Icp.EndToEnd.Tests;

/// <summary>One generated request: where it goes, its body and content type.</summary>
public sealed record HostileRequest(HttpMethod Method, string Path, string ContentType, byte[] Body, string Mutation)
{
    public override string ToString() => $"{Method} {Path} ({ContentType}, {Mutation}): {Preview}";

    private string Preview => Encoding.UTF8.GetString(Body.AsSpan(0, Math.Min(Body.Length, 300)));
}

/// <summary>
/// Generates random and adversarial requests for every intake of the platform from a valid template of each, by one
/// to three mutations: hostile text (control characters, broken surrogates, identifying data in disguise, huge or
/// right-to-left text), numbers at and beyond every limit, values of the wrong kind, repeated and unknown keys,
/// missing fields, deep nesting, truncated or random bytes, the wrong content type, hostile ids in the path, broken
/// CSV. Deterministic for a seed.
/// </summary>
public sealed class HostileInputs(int seed, string suffix)
{
    private readonly Random _random = new(seed);
    private int _counter;

    private static readonly string[] HostileText =
    [
        "a\u0000b", "\u001b[31mred", "tab\tok", "x\u007fy", "\u0085nel", LoneSurrogate, LoneSurrogate + "x", "\u202eevil", "\ufeffbom",
        new string('x', 10_000), new string('é', 3000), "😀😀", "'; drop table events; --", "{\"nested\":\"json\"}", "<script>alert(1)</script>",
        "９４３ ４７６ ５９１９", "jo at nhs dot net", "SW1A-1AA", "DOB 3 Mar '41", "943.476.5919", "", " ", "null", "../../etc/passwd", "%00",
    ];

    // A writer refuses to write half a surrogate pair, so it goes in as a marker and into the JSON text as an escape.
    private const string LoneSurrogate = "\u0001LONE\u0001";

    private static readonly string[] HostileNumbers =
        ["1e308", "-1e308", "1e400", "-0", "0.1", "99999999999999999999", "10000001", "-1", "2147483648", "1.5", "0", "\"12\"", "true"];

    private static readonly string[] HostileIds =
        ["a%00b", new string('i', 101), "%E2%80%AE", "..", "a%2Fb", "%F0%9F%98%80", "x%20y", "%C0%AF"];

    public HostileRequest Next()
    {
        var n = ++_counter;
        var (method, path, template) = Template(n);
        var mutations = new List<string>();
        var json = template;
        for (var m = 0; m < _random.Next(1, 4); m++) mutations.Add(Mutate(json));
        var text = json.ToJsonString().Replace("\\u0001LONE\\u0001", "\\ud800", StringComparison.Ordinal);
        var contentType = "application/json";
        switch (_random.Next(20))
        {
            case 0:
                text = DuplicateAKey(text);
                mutations.Add("repeated key");
                break;
            case 1:
                text = text[.._random.Next(text.Length)];
                mutations.Add("truncated");
                break;
            case 2:
                text = string.Concat(Enumerable.Range(0, 100).Select(_ => "[")) + string.Concat(Enumerable.Range(0, 100).Select(_ => "]"));
                mutations.Add("deep nesting");
                break;
            case 3:
                contentType = _random.Next(2) == 0 ? "text/plain" : "application/xml";
                mutations.Add("wrong content type");
                break;
            case 4:
                path = ReplaceId(path);
                mutations.Add("hostile id in the path");
                break;
        }
        var body = Encoding.UTF8.GetBytes(text);
        if (_random.Next(25) == 0)
        {
            body = new byte[_random.Next(1, 400)];
            _random.NextBytes(body);
            mutations.Add("random bytes");
        }
        if (_random.Next(6) == 0 && Csv(n) is { } csv)
        {
            (path, body) = (csv.Path, Encoding.UTF8.GetBytes(MutateCsv(csv.Text)));
            (contentType, mutations) = ("text/csv", ["csv"]);
        }
        return new HostileRequest(method, path, contentType, body, string.Join(", ", mutations));
    }

    private (HttpMethod, string, JsonObject) Template(int n) => (n % 12) switch
    {
        0 => (HttpMethod.Put, $"/api/v1/units/fz-{suffix}-{n}", Obj("""{ "name": "Fuzz", "kind": "neighbourhood", "role": "comparison" }""")),
        1 => (HttpMethod.Put, $"/api/v1/indicators/fz-{suffix}-{n}", Obj("""
            { "name": "Fuzz", "domain": "Efficiency", "measure": "proportion", "improvement": "increase", "target": 0.5 }
            """)),
        2 => (HttpMethod.Post, "/api/v1/feeds", Obj($$"""
            { "source": "fuzz", "submissionId": "fz-{{suffix}}-{{n}}",
              "rows": [ { "unitId": "fz-unit-{{suffix}}", "indicatorId": "fz-count-{{suffix}}", "period": "2025-01", "value": 3 } ] }
            """)),
        3 => (HttpMethod.Post, "/api/v1/referrals", Obj($$"""
            { "referralId": "fz-{{suffix}}-{{n}}", "date": "2025-03-03", "unitId": "fz-unit-{{suffix}}", "source": "gp", "destination": "dn" }
            """)),
        4 => (HttpMethod.Post, "/api/v1/referrals/bulk", Obj($$"""
            { "submissionId": "fz-{{suffix}}-{{n}}", "source": "fuzz",
              "rows": [ { "referralId": "fzb-{{suffix}}-{{n}}", "step": "received", "date": "2025-03-03", "unitId": "fz-unit-{{suffix}}",
                          "source": "gp", "destination": "dn" } ] }
            """)),
        5 => (HttpMethod.Put, $"/api/v1/instruments/fz-{suffix}-{n}", Obj("""
            { "name": "Fuzz", "scoring": "none", "items": [ { "itemId": "Q1", "text": "Q", "kind": "scale", "scaleMin": 1, "scaleMax": 5,
              "positiveThreshold": 4 }, { "itemId": "C1", "text": "Say", "kind": "freetext" } ] }
            """)),
        6 => (HttpMethod.Put, $"/api/v1/waves/fzw-{suffix}-{n}", Obj($$"""
            { "instrumentId": "fz-inst-{{suffix}}", "name": "Wave", "month": "2025-01", "invited": 10, "unitIds": ["fz-unit-{{suffix}}"] }
            """)),
        7 => (HttpMethod.Post, $"/api/v1/waves/fz-wave-{suffix}/responses", Obj($$"""
            { "submissionId": "fz-{{suffix}}-{{n}}", "responses": [ { "respondentId": "r{{n}}", "organisation": "Council", "teams": [],
              "answers": { "Q1": 4, "C1": "Fine." } } ] }
            """)),
        8 => (HttpMethod.Post, "/api/v1/stories", Obj("""
            { "role": "Nurse", "month": "2025-01", "unitIds": [], "biggestDifference": "A", "differenceForPerson": "B", "risks": "C",
              "howOutcomeChanged": "D", "otherwise": "E", "tags": ["t"] }
            """)),
        9 => (HttpMethod.Post, "/api/v1/case-studies", Obj("""
            { "pseudonym": "Mr A", "month": "2025-01", "situation": "S", "background": "B",
              "systemRisks": [ { "type": "falls", "description": "D" } ], "recommendations": ["R"], "outcome": "O" }
            """)),
        10 => (HttpMethod.Post, "/api/v1/theographs", Obj("""
            { "pseudonym": "Mrs B", "events": [ { "date": "2025-01-04", "setting": "gp", "note": null, "days": null } ] }
            """)),
        _ => (HttpMethod.Post, "/api/v1/realist-records", Obj("""
            { "title": "T", "month": "2025-01", "outcomes": [ { "name": "Sharing information", "cmocs": [ { "context": "C",
              "mechanism": "M", "outcome": "O", "evidence": [ { "source": "interview", "summary": "S" } ] } ] } ] }
            """)),
    };

    private (string Path, string Text)? Csv(int n) => (n % 3) switch
    {
        0 => ($"/api/v1/feeds?source=fuzz&submissionId=fzc-{suffix}-{n}",
            $"unit_id,indicator_id,period,value,numerator,denominator\nfz-unit-{suffix},fz-count-{suffix},2025-02,4,,\n"),
        1 => ($"/api/v1/referrals/bulk?source=fuzz&submissionId=fzc-{suffix}-{n}",
            $"referral_id,step,date,unit_id,source,destination\nfzc-{suffix}-{n},received,2025-03-03,fz-unit-{suffix},gp,dn\n"),
        _ => ($"/api/v1/waves/fz-wave-{suffix}/responses?submissionId=fzc-{suffix}-{n}", $"respondent_id,Q1,C1\nrc{n},3,Good\n"),
    };

    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    // Changes one value somewhere in the tree (or the tree's shape).
    private string Mutate(JsonObject root)
    {
        var (parent, key) = PickSlot(root);
        switch (_random.Next(6))
        {
            case 0:
                Set(parent, key, JsonValue.Create(HostileText[_random.Next(HostileText.Length)]));
                return $"hostile text at {key}";
            case 1:
                Set(parent, key, JsonNode.Parse(HostileNumbers[_random.Next(HostileNumbers.Length)], documentOptions: default));
                return $"number at {key}";
            case 2:
                Set(parent, key, _random.Next(3) switch { 0 => new JsonArray(1, 2), 1 => new JsonObject { ["x"] = 1 }, _ => null });
                return $"wrong kind at {key}";
            case 3:
                root["patientName"] = "A Person";
                return "unknown field";
            case 4:
                if (parent is JsonObject o && key is string k) o.Remove(k);
                return $"missing {key}";
            default:
                Set(parent, key, JsonValue.Create(new string('9', _random.Next(1, 40))));
                return $"digits at {key}";
        }
    }

    private (JsonNode Parent, object Key) PickSlot(JsonNode node)
    {
        while (true)
        {
            var children = node switch
            {
                JsonObject o => o.Select(p => ((object)p.Key, p.Value)).ToList(),
                JsonArray a => a.Select((v, i) => ((object)i, v)).ToList(),
                _ => [],
            };
            if (children.Count == 0) return (node, node is JsonObject ? "extra" : 0);
            var (key, child) = children[_random.Next(children.Count)];
            if (child is JsonObject or JsonArray && _random.Next(3) != 0) node = child;
            else return (node, key);
        }
    }

    private static void Set(JsonNode parent, object key, JsonNode? value)
    {
        if (parent is JsonObject o) o[(string)key] = value;
        else if (parent is JsonArray a && (int)key < a.Count) a[(int)key] = value;
        else if (parent is JsonArray empty) empty.Add(value);
    }

    private string DuplicateAKey(string json)
    {
        var at = json.IndexOf("\":", StringComparison.Ordinal);
        if (at < 0) return json;
        var start = json.LastIndexOf('"', at - 1);
        var key = json[(start + 1)..at];
        return json.Insert(start, $"\"{key}\": {HostileNumbers[_random.Next(HostileNumbers.Length)]}, ");
    }

    private string MutateCsv(string csv) => _random.Next(6) switch
    {
        0 => csv.Replace(",", ",\u0000", StringComparison.Ordinal),
        1 => csv.Insert(csv.IndexOf('\n'), "," + csv[..csv.IndexOf(',')]), // a column twice
        2 => csv + "\"unclosed,quote\n",
        3 => csv.Replace("\n", ",extra\n", StringComparison.Ordinal),
        4 => csv.Replace("2025", "99999", StringComparison.Ordinal),
        _ => csv + string.Concat(Enumerable.Repeat("x,", 5000)) + "\n",
    };

    private string ReplaceId(string path)
    {
        var slash = path.LastIndexOf('/');
        return path[..(slash + 1)] + HostileIds[_random.Next(HostileIds.Length)];
    }
}
