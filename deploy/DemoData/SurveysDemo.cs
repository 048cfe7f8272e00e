namespace Icp.DemoData;

/// <summary>
/// Two INT staff-survey waves in East (November 2024, n = 17; November 2025, n = 18; eleven people gave the same
/// self-generated code both times) and one Partnership Assessment Tool wave (March 2025, 30 of 44 invited), with a
/// few free-text comments coded by theme and sentiment. Synthetic and deterministic: the answers come from a seeded
/// generator and the comments were written for the demo.
/// </summary>
public sealed class SurveysDemo : IDemoSection
{
    public string Name => "staff survey waves and a Partnership Assessment Tool wave";

    private static readonly string[] Organisations =
        ["Primary care", "Community health services", "Adult social care", "Mental health trust", "Voluntary sector", "Housing"];

    private static readonly string[] Roles = ["District nurse", "Social worker", "GP", "Care coordinator", "Occupational therapist", "Housing officer"];

    private static readonly (string Item, string Text, string Theme, string Sentiment)[] StaffComments =
    [
        ("C1", "The daily huddle means I know who to call before a problem grows.", "Daily huddle", "positive"),
        ("C1", "Shared visits with social care have cut down repeat assessments.", "Joint visits", "positive"),
        ("C1", "Hard to say yet; my caseload has not changed much.", "Caseload", "neutral"),
        ("C2", "Access to each other's records would save a lot of phone calls.", "Information sharing", "negative"),
        ("C2", "A single referral form across the services.", "Referral process", "neutral"),
        ("C3", "Working from the same base two days a week.", "Co-location", "positive"),
        ("C4", "Meetings sometimes clash with clinic time and get skipped.", "Meeting pressure", "negative"),
        ("C4", "Voluntary sector partners are not always invited.", "Voluntary sector involvement", "negative"),
    ];

    private static readonly (string Text, string Theme, string Sentiment)[] PatComments =
    [
        ("Decisions made at the board now reach front-line teams within a week.", "Decision making", "positive"),
        ("We still measure success differently in each organisation.", "Shared measures", "negative"),
        ("Trust has grown since the shared case reviews began.", "Trust", "positive"),
        ("Budgets remain separate, which slows joint work.", "Pooled resources", "negative"),
        ("Good intentions; the arrangements need writing down.", "Governance", "neutral"),
    ];

    /// <summary>The survey platform's client (source "demo") and the data steward's, who codes the free-text comments.</summary>
    private const string Surveys = "demo-surveys";
    private const string Steward = "demo-steward";

    public async Task LoadAsync(DemoClient client)
    {
        await client.As(Surveys, "surveys:write").PostAsync("/api/v1/instruments/int-staff-survey/from-template/int-staff-survey", new { });
        await client.As(Surveys, "surveys:write").PostAsync("/api/v1/instruments/pat/from-template/partnership-assessment", new { });

        var random = new Random(20241101);
        var codes = Enumerable.Range(0, 24).Select(_ => Code(random)).Distinct().ToList();
        await StaffWaveAsync(client, random, "staff-2024-11", "2024-11", 17, codes.Take(17).ToList(), shift: 0.0, prefix: "s24");
        // Eleven of the first wave's codes come back; seven people are new.
        await StaffWaveAsync(client, random, "staff-2025-11", "2025-11", 18, codes.Take(11).Concat(codes.Skip(17).Take(7)).ToList(), shift: 0.45, prefix: "s25");
        await client.As(Surveys, "surveys:write").PutAsync("/api/v1/waves/staff-2024-11", new
        {
            instrumentId = "int-staff-survey", name = "INT staff survey, baseline", month = "2024-11", invited = 40,
            unitIds = new[] { "east" }, status = "closed",
        });
        await PatWaveAsync(client, random);
    }

    private static string Code(Random random) =>
        new string(Enumerable.Range(0, 6).Select(i => i is 2 or 3 ? (char)('0' + random.Next(10)) : (char)('A' + random.Next(26))).ToArray());

    private static async Task StaffWaveAsync(DemoClient client, Random random, string waveId, string month, int n, List<string> codes,
        double shift, string prefix)
    {
        await client.As(Surveys, "surveys:write").PutAsync($"/api/v1/waves/{waveId}", new
        {
            instrumentId = "int-staff-survey", name = month == "2024-11" ? "INT staff survey, baseline" : "INT staff survey, one year on",
            month, invited = 40, unitIds = new[] { "east" },
        });
        var responses = new List<object>();
        for (var r = 0; r < n; r++)
        {
            var answers = new Dictionary<string, object?>();
            var tendency = random.NextDouble() - 0.5;
            for (var q = 1; q <= 12; q++)
                answers[$"Q{q:00}"] = random.NextDouble() < 0.02 ? null : Level(random, 3.5 + shift + tendency, 1, 5);
            answers["Q13"] = Level(random, 6.5 + 1.2 * shift + 2 * tendency, 1, 10);
            if (r < StaffComments.Length && (r + (shift > 0 ? 1 : 0)) % 2 == 0)
                answers[StaffComments[r].Item] = StaffComments[r].Text;
            responses.Add(new
            {
                respondentId = $"{prefix}-{r + 1:00}",
                code = r < codes.Count ? codes[r] : null,
                organisation = Organisations[r % Organisations.Length],
                role = Roles[r % Roles.Length],
                teams = new[] { "east" },
                answers,
            });
        }
        await client.As(Surveys, "surveys:write").PostAsync($"/api/v1/waves/{waveId}/responses", new { submissionId = $"demo-{waveId}", source = "demo", responses });
        for (var r = 0; r < n && r < StaffComments.Length; r++)
        {
            if ((r + (shift > 0 ? 1 : 0)) % 2 != 0) continue;
            var (item, _, theme, sentiment) = StaffComments[r];
            await client.As(Steward, "read:sensitive").PutAsync($"/api/v1/waves/{waveId}/comments/{prefix}-{r + 1:00}/{item}/coding",
                new { themes = new[] { theme }, sentiment, codedBy = "demo analyst" });
        }
    }

    private static async Task PatWaveAsync(DemoClient client, Random random)
    {
        await client.As(Surveys, "surveys:write").PutAsync("/api/v1/waves/pat-2025-03", new
        {
            instrumentId = "pat", name = "Partnership Assessment Tool, East board", month = "2025-03", invited = 44,
            unitIds = new[] { "east" }, organisations = Organisations,
        });
        // Principles the partners find harder (arrangements, measurement) score lower on average.
        double[] principleLevel = [3.2, 2.9, 2.8, 2.9, 2.4, 2.3];
        var responses = new List<object>();
        for (var r = 0; r < 30; r++)
        {
            var answers = new Dictionary<string, object?>();
            var tendency = (random.NextDouble() - 0.5) * 0.8;
            for (var p = 1; p <= 6; p++)
                for (var s = 1; s <= 6; s++)
                    answers[$"P{p}S{s}"] = random.NextDouble() < 0.004 ? null : Level(random, principleLevel[p - 1] + tendency, 1, 4);
            answers["AIMS"] = random.NextDouble() < 0.05 ? null : random.NextDouble() < 0.7 + tendency / 2 ? 2 : 1;
            if (r % 6 == 0) answers["COMMENTS"] = PatComments[r / 6].Text;
            responses.Add(new
            {
                respondentId = $"pat-{r + 1:00}",
                organisation = Organisations[r < 8 ? 0 : r < 15 ? 1 : r < 22 ? 2 : r < 25 ? 3 : r < 28 ? 4 : 5],
                teams = new[] { "east" },
                answers,
            });
        }
        await client.As(Surveys, "surveys:write").PostAsync("/api/v1/waves/pat-2025-03/responses", new { submissionId = "demo-pat-2025-03", source = "demo", responses });
        for (var r = 0; r < 30; r += 6)
        {
            var (_, theme, sentiment) = PatComments[r / 6];
            await client.As(Steward, "read:sensitive").PutAsync($"/api/v1/waves/pat-2025-03/comments/pat-{r + 1:00}/COMMENTS/coding",
                new { themes = new[] { theme }, sentiment, codedBy = "demo analyst" });
        }
    }

    /// <summary>A level near <paramref name="centre"/>: rounded normal-ish noise (sum of three uniforms), clamped to the scale.</summary>
    private static int Level(Random random, double centre, int min, int max)
    {
        var noise = (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * 1.3;
        return Math.Clamp((int)Math.Round(centre + noise), min, max);
    }
}
