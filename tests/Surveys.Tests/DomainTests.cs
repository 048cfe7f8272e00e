using System.Text.Json;
using Icp.Contracts.Surveys;
using Icp.Surveys.Domain;

namespace Icp.Surveys.Tests;

public sealed class InstrumentValidationTests
{
    [Fact]
    public void Both_templates_are_valid_instruments()
    {
        foreach (var template in Templates.All)
        {
            var (instrument, errors) = InstrumentValidation.Validate(template.TemplateId, template.Instrument);
            Assert.Empty(errors);
            Assert.NotNull(instrument);
        }
        var staff = InstrumentValidation.Validate("s", Templates.Find(Templates.StaffSurveyId)!.Instrument).Instrument!;
        Assert.Equal(13, staff.Items.Count(i => i.Kind == "scale"));
        Assert.Equal(4, staff.Items.Count(i => i.Kind == "freetext"));
        Assert.All(staff.Items, i => Assert.False(string.IsNullOrEmpty(i.ShortLabel)));
        var pat = InstrumentValidation.Validate("p", Templates.Find(Templates.PartnershipAssessmentId)!.Instrument).Instrument!;
        Assert.Equal("pat", pat.Scoring);
        Assert.Equal(36, pat.Items.Count(i => i.Group is "1" or "2" or "3" or "4" or "5" or "6"));
    }

    [Fact]
    public void Names_every_bad_item()
    {
        var request = new InstrumentRequest("", "sometimes",
        [
            new ItemRequest("Q1", "Fine", null, "scale", null, 1, 5, 4, null, null),
            new ItemRequest("Q1", "Duplicate id", null, "scale", null, 1, 5, 4, null, null),
            new ItemRequest("Q3", "Threshold off the scale", null, "scale", null, 1, 5, 6, null, null),
            new ItemRequest("Q4", "No scale", null, "scale", null, null, null, null, null, null),
            new ItemRequest("Q5", "Wrong label count", null, "scale", null, 1, 4, 3, null, ["a", "b"]),
            new ItemRequest("C1", "Free text with a scale", null, "freetext", null, 1, 5, null, null, null),
            new ItemRequest("bad id!", "x", null, "multiple", null, null, null, null, null, null),
        ]);

        var (instrument, errors) = InstrumentValidation.Validate("i", request);

        Assert.Null(instrument);
        Assert.Equal(
            [(null, "name"), (null, "scoring"), (2, "itemId"), (3, "positiveThreshold"), (4, "scaleMin"), (4, "scaleMax"), (4, "positiveThreshold"),
             (5, "levels"), (6, "kind"), (7, "itemId"), (7, "kind")],
            errors.Select(e => (e.Row, e.Field)));
    }

    [Fact]
    public void A_pat_instrument_needs_six_statements_per_principle_on_one_to_four()
    {
        var template = Templates.Find(Templates.PartnershipAssessmentId)!.Instrument;
        var items = template.Items!.Where(i => i!.ItemId != "P2S6").Select(i => i!.ItemId == "P3S1" ? i with { ScaleMax = 5, Levels = null } : i).ToList<ItemRequest?>();

        var (_, errors) = InstrumentValidation.Validate("p", template with { Items = items });

        Assert.Contains(errors, e => e.Message.StartsWith("Principle 2 needs exactly 6 statements"));
        Assert.Contains(errors, e => e.Message.Contains("P3S1") && e.Row == 12);
    }

    [Fact]
    public void Once_answered_items_keep_their_scale_and_cannot_be_removed()
    {
        var current = new InstrumentDefinedV1("i", "I", "none",
            [new SurveyItem("Q1", "a", null, "scale", null, 1, 5, 4, null, null), new SurveyItem("Q2", "b", null, "scale", null, 1, 5, 4, null, null)]);
        var reworded = current with { Items = [current.Items[0] with { Text = "new words", PositiveThreshold = 5 }, current.Items[1],
            new SurveyItem("Q3", "new", null, "scale", null, 1, 10, 7, null, null)] };
        var broken = current with { Items = [current.Items[0] with { ScaleMax = 4 }] };

        Assert.Empty(InstrumentValidation.IncompatibleChanges(current, reworded));
        Assert.Equal(2, InstrumentValidation.IncompatibleChanges(current, broken).Count);
    }
}

public sealed class ResponseValidationTests
{
    private static readonly DateOnly Today = new(2025, 10, 15);

    private static readonly InstrumentDefinedV1 Instrument = new("staff", "Staff", "none",
    [
        new SurveyItem("Q01", "a", null, "scale", "agreement", 1, 5, 4, null, null),
        new SurveyItem("Q13", "b", null, "scale", "rating", 1, 10, 7, null, null),
        new SurveyItem("C1", "c", null, "freetext", null, null, null, null, null, null),
    ]);

    private static WaveState State(string status = "open", int? invited = 40, params string[] existing) =>
        new(new WaveDefinedV1("w", "staff", null, "2024-11", invited, [], [], status), Instrument, existing.ToHashSet());

    private static ResponseRequest R(string? id, string answersJson, string? code = null, string? organisation = null) =>
        new(id, code, organisation, null, ["east"], JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(answersJson));

    [Fact]
    public void A_good_submission_keeps_every_scale_item_and_the_comments()
    {
        var (responses, _, errors) = ResponseValidation.Validate(new ResponseSubmissionRequest("s1", null,
            [R("r01", """{"Q01": 4, "Q13": "8", "C1": "  The duty desk helps.  "}""", code: "RW14VM"), R("r02", """{"Q01": null, "C1": ""}""" .Replace("null", "2"))]), State(), Today);

        Assert.Empty(errors);
        Assert.Equal(2, responses.Count);
        Assert.Equal(new Dictionary<string, int?> { ["Q01"] = 4, ["Q13"] = 8 }, responses[0].Answers);
        Assert.Equal("The duty desk helps.", responses[0].Comments["C1"]);
        Assert.Equal(new Dictionary<string, int?> { ["Q01"] = 2, ["Q13"] = null }, responses[1].Answers);
        Assert.Empty(responses[1].Comments);
    }

    [Fact]
    public void Names_every_bad_row_and_stores_none()
    {
        var request = new ResponseSubmissionRequest("s1", null,
        [
            R("r01", """{"Q01": 4}"""),
            R("r02", """{"Q99": 4}"""),
            R("r03", """{"Q01": 6, "Q13": 2.5}"""),
            R("r01", """{"Q01": 3}"""),
            R("old", """{"Q01": 3}"""),
            R("r06", """{"C1": "Email me at sam@example.org or 07700 900123"}"""),
            R("r07", """{"Q01": null}"""), // blank: answers nothing, so not an error (and not stored)
            R("r08", """{"Q01": 3}""", code: "x", organisation: "call 020 7946 0018"),
            null,
        ]);

        var (responses, blank, errors) = ResponseValidation.Validate(request, State(existing: "old"), Today);

        Assert.Empty(responses);
        Assert.Equal(1, blank);
        Assert.Equal(
            [(2, "answers.Q99"), (3, "answers.Q01"), (3, "answers.Q13"), (4, "respondentId"), (5, "respondentId"), (6, "answers.C1"),
             (8, "code"), (8, "organisation"), (9, "response")],
            errors.Select(e => (e.Row, e.Field)));
        Assert.Contains("an e-mail address (characters 13–27)", errors.Single(e => e.Row == 6).Message);
        Assert.Contains("a phone number", errors.Single(e => e.Row == 6).Message);
        Assert.Contains("outside the scale 1–5", errors.Single(e => e.Field == "answers.Q01").Message);
    }

    [Fact]
    public void The_shared_screen_guards_comments_codes_and_attributes()
    {
        var request = new ResponseSubmissionRequest("s1", null,
        [
            R("r01", """{"C1": "She moved to sw1a1aa last year"}"""),
            R("r02", """{"C1": "DOB 3 Mar '41, lives alone"}"""),
            R("r03", """{"Q01": 4}""", organisation: "Ward 943.476.5919"),
            R("r04", """{"Q01": 4}""", code: "RW14VM"), // a self-generated code, though it reads like a postcode
            R("r07", """{"Q01": 4}""", code: "07700900123"),
            R("r05", """{"C1": "write to jo at nhs dot net"}"""),
            R("r06", """{"C1": "The duty desk at the hub started in March 2024."}"""),
        ]);
        var (_, _, errors) = ResponseValidation.Validate(request, State(), Today);
        Assert.Equal([(1, "answers.C1"), (2, "answers.C1"), (3, "organisation"), (5, "code"), (6, "answers.C1")],
            errors.Select(e => (e.Row, e.Field)));
        Assert.Contains("a postcode", errors[0].Message);
        Assert.Contains("a date of birth", errors[1].Message);
        Assert.Contains("an NHS number", errors[2].Message);
        Assert.Contains("a phone number", errors[3].Message);
        Assert.Contains("an e-mail address", errors[4].Message);
    }

    [Fact]
    public void A_closed_wave_takes_no_responses()
    {
        var (responses, _, errors) = ResponseValidation.Validate(new ResponseSubmissionRequest("s1", null, [R("r01", """{"Q01": 4}""")]), State("closed"), Today);
        Assert.Empty(responses);
        var error = Assert.Single(errors);
        Assert.Equal((null, "waveId"), (error.Row, error.Field));
    }

    [Fact]
    public void More_responses_than_invited_are_refused()
    {
        var (_, _, errors) = ResponseValidation.Validate(new ResponseSubmissionRequest("s1", null, [R("r01", """{"Q01": 4}"""), R("r02", """{"Q01": 4}""")]),
            State(invited: 2, existing: "old"), Today);
        Assert.Equal("responses", Assert.Single(errors).Field);
    }
}

public sealed class ResponseCsvTests
{
    private static readonly InstrumentDefinedV1 Instrument = new("staff", "Staff", "none",
    [
        new SurveyItem("Q01", "a", null, "scale", "agreement", 1, 5, 4, null, null),
        new SurveyItem("C1", "c", null, "freetext", null, null, null, null, null, null),
    ]);

    [Fact]
    public void Reads_quoted_fields_teams_and_blank_answers()
    {
        const string csv = "\uFEFFRespondent ID,Code,Organisation,Role,Teams,q01,C1,Start time\r\n" +
                           "r01,RW14VM,Adult social care,Social worker,east;west,4,\"We meet, talk and \"\"plan\"\"\nweekly\",2024-11-03\r\n" +
                           "r02,,,,,,,2024-11-04\r\n";

        var (request, errors) = ResponseCsv.Parse(csv, "s1", "forms", Instrument, ["Start time"]);

        Assert.Empty(errors);
        Assert.Equal(("s1", "forms"), (request!.SubmissionId, request.Source));
        var first = request.Responses![0]!;
        Assert.Equal(("r01", "RW14VM", "Adult social care", "Social worker"), (first.RespondentId, first.Code, first.Organisation, first.Role));
        Assert.Equal(["east", "west"], first.Teams);
        Assert.Equal("4", first.Answers!["Q01"].GetString());
        Assert.Equal("We meet, talk and \"plan\"\nweekly", first.Answers["C1"].GetString());
        var second = request.Responses[1]!;
        Assert.Equal(JsonValueKind.Null, second.Answers!["Q01"].ValueKind);
        Assert.Null(second.Teams);

        var state = new WaveState(new WaveDefinedV1("w", "staff", null, "2024-11", null, [], [], "open"), Instrument, new HashSet<string>());
        var (responses, blank, validation) = ResponseValidation.Validate(request, state, new DateOnly(2025, 10, 15));
        Assert.Empty(validation); // r02 answered nothing: a blank response, counted and not stored
        Assert.Equal((1, 1, "r01"), (responses.Count, blank, responses[0].RespondentId));
    }

    [Fact]
    public void Names_unknown_columns_and_short_rows()
    {
        var (request, errors) = ResponseCsv.Parse("respondent_id,Q01,Email\nr01,4,a@b.org\n", "s1", null, Instrument, []);
        Assert.Null(request);
        Assert.Equal("email", Assert.Single(errors).Field); // named by its header

        (request, errors) = ResponseCsv.Parse("respondent_id,Q01\nr01,4\nr02\n", "s1", null, Instrument, []);
        Assert.Null(request);
        Assert.Equal((2, "row"), (Assert.Single(errors).Row, errors[0].Field));
    }
}
