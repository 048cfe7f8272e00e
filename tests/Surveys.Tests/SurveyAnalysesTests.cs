using System.Text.Json;
using Icp.Contracts.Surveys;
using Icp.Projections.Surveys;
using Icp.Surveys.Domain;

namespace Icp.Surveys.Tests;

/// <summary>The projection's analyses on stored responses, against R's reference values and hand-worked cases.</summary>
public sealed class SurveyAnalysesTests
{
    private static WaveDefinedV1 Wave(string id, string instrumentId, int? invited = null) =>
        new(id, instrumentId, null, "2024-11", invited, ["east"], [], "open");

    private static SurveyResponse Response(string id, Dictionary<string, int?> answers, string? organisation = null, IReadOnlyList<string>? teams = null,
        Dictionary<string, string>? comments = null, string? code = null) =>
        new(id, code, organisation, null, teams ?? [], answers, comments ?? new Dictionary<string, string>());

    public static TheoryData<string> WaveCases => new() { "staff-survey-17v18", "staff-survey-17v18-nonresponse", "all-equal-item", "four-point-scale", "rating-1-10", "tiny-samples" };

    [Theory]
    [MemberData(nameof(WaveCases))]
    public void Comparison_of_stored_responses_matches_R(string name)
    {
        var @case = Reference.Case("waves", name);
        var instrument = Reference.WavesInstrument(@case, "ref");
        var before = new WaveData(Wave("w1", "ref"), instrument, Reference.WavesResponses(@case, "wave1", "a"));
        var after = new WaveData(Wave("w2", "ref"), instrument, Reference.WavesResponses(@case, "wave2", "b"));

        var result = SurveyAnalyses.Compare(before, after, new RespondentFilter(null, null), 5);

        var expected = @case.GetProperty("expected").GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, result.Items.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var e = expected[i];
            var a = result.Items[i];
            var id = e.GetProperty("itemId").GetString()!;
            Assert.Equal(id, a.ItemId);
            Assert.Equal(e.GetProperty("n1").GetInt32(), a.N1);
            Assert.Equal(e.GetProperty("n2").GetInt32(), a.N2);
            Assert.Equal(Reference.Number(e.GetProperty("w")), a.W);
            Assert.Equal(e.GetProperty("method").GetString(), a.Method);
            Reference.Close(e.GetProperty("pValue"), a.PValue, $"{id} pValue", relative: true);
            Reference.Close(e.GetProperty("pAdjustedBH"), a.PAdjustedBH, $"{id} pAdjustedBH", relative: true);
            Reference.Close(e.GetProperty("cles"), a.Cles, $"{id} cles");
            Reference.Close(e.GetProperty("positiveShare1"), a.PositiveShare1, $"{id} share1");
            Reference.Close(e.GetProperty("positiveShare2"), a.PositiveShare2, $"{id} share2");
            Reference.Close(e.GetProperty("ppChange"), a.PpChange, $"{id} ppChange");
            foreach (var (wave, descriptives) in new[] { ("wave1", a.Wave1), ("wave2", a.Wave2) })
            {
                var ew = e.GetProperty(wave);
                Assert.Equal(ew.GetProperty("n").GetInt32(), descriptives.N);
                Reference.Close(ew.GetProperty("mean"), descriptives.Mean, $"{id} {wave} mean");
                Reference.Close(ew.GetProperty("sd"), descriptives.Sd, $"{id} {wave} sd");
                Reference.Close(ew.GetProperty("median"), descriptives.Median, $"{id} {wave} median");
                Assert.Equal(ew.GetProperty("counts").EnumerateObject().Select(p => (int.Parse(p.Name), p.Value.GetInt32())),
                    descriptives.Counts.Select(c => (c.Key, c.Value)));
            }
            Assert.Equal(a.N1 < 30 || a.N2 < 30, a.SmallSample);
        }
    }

    [Fact]
    public void Comparison_flags_small_samples_in_plain_language()
    {
        var @case = Reference.Case("waves", "staff-survey-17v18");
        var instrument = Reference.WavesInstrument(@case, "ref");
        var result = SurveyAnalyses.Compare(new WaveData(Wave("w1", "ref"), instrument, Reference.WavesResponses(@case, "wave1", "a")),
            new WaveData(Wave("w2", "ref"), instrument, Reference.WavesResponses(@case, "wave2", "b")), new RespondentFilter(null, null), 5);

        Assert.Contains(result.Notes, n => n.Contains("17 respondents before and 18 after"));
        Assert.All(result.Items, i => Assert.Contains("indicative", i.Caution));
        Assert.Equal((17, 18), (result.Respondents1, result.Respondents2));
    }

    [Fact]
    public void Contract_field_names_of_the_comparison()
    {
        var @case = Reference.Case("waves", "staff-survey-17v18");
        var instrument = Reference.WavesInstrument(@case, "ref");
        var result = SurveyAnalyses.Compare(new WaveData(Wave("w1", "ref"), instrument, Reference.WavesResponses(@case, "wave1", "a")),
            new WaveData(Wave("w2", "ref"), instrument, Reference.WavesResponses(@case, "wave2", "b")), new RespondentFilter(null, null), 5);
        var item = JsonSerializer.SerializeToElement(result, Icp.Hosting.ServiceDefaults.Json).GetProperty("items")[0];

        foreach (var field in new[] { "itemId", "n1", "n2", "w", "pValue", "method", "cles", "pAdjustedBH", "positiveShare1", "positiveShare2", "ppChange" })
            Assert.True(item.TryGetProperty(field, out _), field);
        Assert.Equal(17, item.GetProperty("wave1").GetProperty("n").GetInt32());
        Assert.Equal(8, item.GetProperty("wave1").GetProperty("counts").GetProperty("5").GetInt32());
    }

    public static TheoryData<string> MatchedCases => new() { "matched-staff-17v18", "matched-exact", "matched-zeros", "matched-degenerate", "matched-scales" };

    [Theory]
    [MemberData(nameof(MatchedCases))]
    public void Matched_analysis_of_stored_responses_matches_R(string name)
    {
        var @case = Reference.Case("matched", name);
        var instrument = Reference.MatchedInstrument(@case, "m");
        var result = SurveyAnalyses.Matched(new WaveData(Wave("w1", "m"), instrument, Reference.MatchedResponses(@case, "wave1", "a")),
            new WaveData(Wave("w2", "m"), instrument, Reference.MatchedResponses(@case, "wave2", "b")));

        var expected = @case.GetProperty("expected").GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, result.Items.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var (e, a) = (expected[i], result.Items[i]);
            Assert.Equal(e.GetProperty("itemId").GetString(), a.ItemId);
            Assert.Equal(e.GetProperty("nPairs").GetInt32(), a.NPairs);
            Assert.Equal(e.GetProperty("nZeroDifferences").GetInt32(), a.NZeroDifferences);
            Assert.Equal(e.GetProperty("nNonZero").GetInt32(), a.NNonZero);
            Assert.Equal(Reference.Number(e.GetProperty("v")), a.V);
            Assert.Equal(Reference.Number(e.GetProperty("sumNegativeRanks")), a.SumNegativeRanks);
            Assert.Equal(e.GetProperty("method").GetString(), a.Method);
            Reference.Close(e.GetProperty("pValue"), a.PValue, $"{a.ItemId} pValue", relative: true);
            Reference.Close(e.GetProperty("rankBiserial"), a.RankBiserial, $"{a.ItemId} rankBiserial");
        }
    }

    [Fact]
    public void A_code_shared_by_two_respondents_of_a_wave_is_left_out_of_matching()
    {
        var instrument = new InstrumentDefinedV1("i", "I", "none", [new SurveyItem("Q1", "Q", null, "scale", null, 1, 5, 4, null, null)]);
        var before = new WaveData(Wave("w1", "i"), instrument,
            [Response("a1", new() { ["Q1"] = 2 }, code: "AB12"), Response("a2", new() { ["Q1"] = 3 }, code: "AB12"), Response("a3", new() { ["Q1"] = 1 }, code: "CD34")]);
        var after = new WaveData(Wave("w2", "i"), instrument,
            [Response("b1", new() { ["Q1"] = 5 }, code: "AB12"), Response("b2", new() { ["Q1"] = 4 }, code: "CD34")]);

        var result = SurveyAnalyses.Matched(before, after);

        Assert.Equal(1, result.MatchedRespondents);
        Assert.Equal(1, result.DuplicateCodesExcluded);
        Assert.Equal(1, result.Items[0].NPairs);
        Assert.Equal(1, result.Items[0].V); // the one pair (CD34) improved by 3: rank 1, positive
    }

    public static TheoryData<string> PatCases => new() { "pat-8-complete", "pat-15-missing", "pat-24-band-edges", "pat-40-random-missing" };

    private static InstrumentDefinedV1 PatInstrument()
    {
        var (instrument, errors) = InstrumentValidation.Validate("pat", Templates.Find(Templates.PartnershipAssessmentId)!.Instrument);
        Assert.Empty(errors);
        return instrument!;
    }

    [Theory]
    [MemberData(nameof(PatCases))]
    public void Partnership_assessment_of_stored_responses_matches_R(string name)
    {
        var @case = Reference.Case("pat", name);
        var data = new WaveData(Wave("p", "pat"), PatInstrument(), Reference.PatResponses(@case));

        var pat = SurveyAnalyses.Pat(data, 5);
        var respondents = SurveyAnalyses.PatRespondents(data);

        var expected = @case.GetProperty("expected");
        var expectedRespondents = expected.GetProperty("respondents").EnumerateArray().ToArray();
        Assert.Equal(expectedRespondents.Length, respondents.Count);
        for (var r = 0; r < expectedRespondents.Length; r++)
        {
            var e = expectedRespondents[r];
            var a = respondents.Single(x => x.RespondentId == e.GetProperty("respondentId").GetString());
            Assert.Equal(e.GetProperty("principleScores").EnumerateArray().Select(s => s.ValueKind == JsonValueKind.Null ? null : (int?)s.GetInt32()), a.PrincipleScores);
            Assert.Equal(e.GetProperty("principleBands").EnumerateArray().Select(s => s.GetString()), a.PrincipleBands);
            Assert.Equal(e.GetProperty("total").ValueKind == JsonValueKind.Null ? null : e.GetProperty("total").GetInt32(), a.Total);
            Assert.Equal(e.GetProperty("totalBand").GetString(), a.TotalBand);
        }
        var principles = expected.GetProperty("principles").EnumerateArray().ToArray();
        for (var p = 0; p < 6; p++)
        {
            var (e, a) = (principles[p], pat.Principles[p]);
            Assert.Equal(p + 1, a.Principle);
            Assert.Equal(PartnershipPrinciples.Names[p], a.Name);
            Assert.Equal(e.GetProperty("n").GetInt32(), a.N);
            Reference.Close(e.GetProperty("mean"), a.Mean, $"P{p + 1} mean");
            Reference.Close(e.GetProperty("sd"), a.Sd, $"P{p + 1} sd");
            Reference.Close(e.GetProperty("median"), a.Median, $"P{p + 1} median");
            Assert.Equal(e.GetProperty("min").GetInt32(), a.Min);
            Assert.Equal(e.GetProperty("max").GetInt32(), a.Max);
            Assert.Equal(e.GetProperty("bandCounts").EnumerateObject().Select(b => (b.Name, b.Value.GetInt32())), a.BandCounts.Select(b => (b.Key, b.Value)));
        }
        var total = expected.GetProperty("total");
        Assert.Equal(total.GetProperty("n").GetInt32(), pat.Total.N);
        Reference.Close(total.GetProperty("mean"), pat.Total.Mean, "total mean");
        Reference.Close(total.GetProperty("sd"), pat.Total.Sd, "total sd");
        Assert.Equal(total.GetProperty("bandCounts").EnumerateObject().Select(b => (b.Name, b.Value.GetInt32())), pat.Total.BandCounts.Select(b => (b.Key, b.Value)));
    }

    [Fact]
    public void Pat_breakdowns_suppress_groups_under_five_and_count_aims_and_response_rate()
    {
        // pat-8-complete: R's totals per respondent give the expected mean of the group of five.
        var @case = Reference.Case("pat", "pat-8-complete");
        var responses = Reference.PatResponses(@case);
        var aimsAnswers = new int?[] { 2, 2, 1, null, 2, 1, 2, 2 };
        responses = responses.Select((r, i) =>
        {
            var answers = new Dictionary<string, int?>(r.Answers) { ["AIMS"] = aimsAnswers[i] };
            return r with { Organisation = i < 5 ? "Community health" : "Housing", Teams = i < 5 ? ["east"] : ["east", "west"], Answers = answers };
        }).ToList();
        var data = new WaveData(Wave("p", "pat", invited: 16), PatInstrument(), responses);

        var pat = SurveyAnalyses.Pat(data, 5);

        var rTotals = @case.GetProperty("expected").GetProperty("respondents").EnumerateArray().Select(r => r.GetProperty("total").GetInt32()).ToArray();
        var community = pat.ByOrganisation.Single(g => g.Group == "Community health");
        Assert.False(community.Suppressed);
        Assert.Equal(5, community.Respondents);
        Assert.Equal(rTotals.Take(5).Sum() / 5.0, community.Total!.Mean!.Value, 9);
        var housing = pat.ByOrganisation.Single(g => g.Group == "Housing");
        Assert.True(housing.Suppressed);
        Assert.Equal(3, housing.Respondents);
        Assert.Null(housing.Principles);
        Assert.Null(housing.Total);
        Assert.Equal([("east", 8, false), ("west", 3, true)], pat.ByTeam.Select(g => (g.Group, g.Respondents, g.Suppressed)));
        Assert.Equal(new AimsView("AIMS", 5, 2, 1, 5 / 7.0), pat.Aims);
        Assert.Equal(0.5, pat.ResponseRate);

        var stricter = SurveyAnalyses.Pat(data, 6);
        Assert.True(stricter.ByOrganisation.Single(g => g.Group == "Community health").Suppressed);
    }

    [Fact]
    public void Wave_summary_per_item_and_by_organisation_with_suppression()
    {
        var instrument = new InstrumentDefinedV1("i", "I", "none",
        [
            new SurveyItem("Q1", "Q", "Short", "scale", "agreement", 1, 5, 4, null, null),
            new SurveyItem("C1", "Comment", null, "freetext", null, null, null, null, null, null),
        ]);
        int?[] asc = [5, 4, 4, 3, 5, 2];
        int?[] housing = [1, 2, null, 4];
        var responses = asc.Select((a, i) => Response($"s{i}", new() { ["Q1"] = a }, "Adult social care"))
            .Concat(housing.Select((a, i) => Response($"h{i}", new() { ["Q1"] = a }, "Housing"))).ToList();

        var summary = SurveyAnalyses.Summarise(new WaveData(Wave("w", "i", invited: 20), instrument, responses), "organisation", 5);

        var q1 = Assert.Single(summary.Items);
        Assert.Equal(9, q1.N); // one skipped
        Assert.Equal(30 / 9.0, q1.Mean!.Value, 12);
        Assert.Equal(4, q1.Median);
        Assert.Equal([(1, 1), (2, 2), (3, 1), (4, 3), (5, 2)], q1.Counts.Select(c => (c.Key, c.Value)));
        Assert.Equal(5 / 9.0, q1.PositiveShare!.Value, 12);
        Assert.Equal(0.5, summary.ResponseRate);
        Assert.NotNull(summary.Caution);
        var ascGroup = summary.Groups!.Single(g => g.Group == "Adult social care");
        Assert.False(ascGroup.Suppressed);
        Assert.Equal(23 / 6.0, ascGroup.Items![0].Mean!.Value, 12);
        Assert.Equal(4, ascGroup.Items[0].Median);
        var housingGroup = summary.Groups!.Single(g => g.Group == "Housing");
        Assert.True(housingGroup.Suppressed);
        Assert.Null(housingGroup.Items);
    }

    [Fact]
    public void Subgroup_comparison_under_the_minimum_is_suppressed()
    {
        var @case = Reference.Case("waves", "staff-survey-17v18");
        var instrument = Reference.WavesInstrument(@case, "ref");
        var w1 = Reference.WavesResponses(@case, "wave1", "a").Select((r, i) => r with { Organisation = i < 4 ? "Housing" : "Primary care" }).ToList();
        var w2 = Reference.WavesResponses(@case, "wave2", "b").Select((r, i) => r with { Organisation = i < 9 ? "Housing" : "Primary care" }).ToList();

        var result = SurveyAnalyses.Compare(new WaveData(Wave("w1", "ref"), instrument, w1), new WaveData(Wave("w2", "ref"), instrument, w2),
            new RespondentFilter("Housing", null), 5);

        Assert.True(result.Suppressed);
        Assert.Empty(result.Items);
        Assert.Equal((4, 9), (result.Respondents1, result.Respondents2));
    }

    [Fact]
    public void Theme_counts_by_sentiment_over_coded_comments()
    {
        var instrument = new InstrumentDefinedV1("i", "I", "none", [new SurveyItem("C1", "Comment", null, "freetext", null, null, null, null, null, null)]);
        var responses = Enumerable.Range(1, 4).Select(i => Response($"r{i}", new(), comments: new() { ["C1"] = $"comment {i}" })).ToList();
        var codings = new Dictionary<(string, string), CommentCoding>
        {
            [("r1", "C1")] = new(["Duty desk", "Shared base"], "positive", null),
            [("r2", "C1")] = new(["duty desk"], "negative", null),
            [("r3", "C1")] = new(["Duty desk"], "positive", null),
        };

        var themes = SurveyAnalyses.Themes(new WaveData(Wave("w", "i"), instrument, responses), codings, null);

        Assert.Equal(4, themes.Comments);
        Assert.Equal(3, themes.Coded);
        Assert.Equal(new Dictionary<string, int> { ["positive"] = 2, ["neutral"] = 0, ["negative"] = 1 }, themes.Sentiments);
        Assert.Equal([new ThemeCount("Duty desk", 2, 0, 1, 3), new ThemeCount("Shared base", 1, 0, 0, 1)], themes.Themes);
    }

    [Fact]
    public void Profile_svg_labels_the_six_principles_and_is_well_formed()
    {
        var svg = SurveyProfileSvg.Render("Partnership profile: PAT (2025-03)", "30 respondents of 44 invited",
            [new ProfileSeries("All respondents", 30, [18.2, 15.0, 12.5, null, 20.1, 9.0]), new ProfileSeries("Housing & VCS", 6, [17, 14, 12, 16, 19, 10])], null);

        var document = System.Xml.Linq.XDocument.Parse(svg);
        var text = string.Concat(document.Descendants().Where(e => e.Name.LocalName == "tspan").Select(e => e.Value + " "));
        foreach (var name in PartnershipPrinciples.Names)
            Assert.Contains(string.Join(" ", name.Split(' ')), text.Replace("  ", " "));
        Assert.Contains("Housing &amp; VCS", svg);
        Assert.Contains("18.2", svg);
        Assert.Contains("principle 4 no score", svg);
    }
}
