using Icp.Contracts.Referrals;
using Icp.Hosting;
using Icp.Referrals.Domain;
using Xunit;

namespace Icp.Referrals.Tests;

public sealed class LifecycleTests
{
    private static ReferralStep Step(string step, int month, int day, string? outcome = null, string? reason = null, string? redirectedTo = null) =>
        step == Steps.Received
            ? new("R-1", step, new DateOnly(2025, month, day), "east", "gp", "district-nursing")
            : new("R-1", step, new DateOnly(2025, month, day), Outcome: outcome, Reason: reason, RedirectedTo: redirectedTo);

    [Fact]
    public void A_whole_lifecycle_gives_one_event_per_step_with_the_waits_worked_out()
    {
        var plan = ReferralBatch.Plan(
        [
            (1, Step(Steps.Received, 3, 3)),
            (2, Step(Steps.Triaged, 3, 4, outcome: "accepted")),
            (3, Step(Steps.Assessed, 3, 13)),
            (4, Step(Steps.ServiceStarted, 3, 20)),
            (5, Step(Steps.Discharged, 5, 1, reason: "positive")),
        ], new Dictionary<string, ReferralState>());

        Assert.Empty(plan.Errors);
        var events = plan.Changes["R-1"].Events;
        Assert.Equal(5, events.Count);
        // 3 → 13 March: 10 days; 13 → 20 March: 7 days; 20 March → 1 May: 11 + 30 + 1 = 42 days.
        Assert.Equal(10, Assert.IsType<ReferralAssessedV1>(events[2]).DaysFromReferral);
        Assert.Equal(7, Assert.IsType<ReferralServiceStartedV1>(events[3]).DaysFromAssessment);
        var discharged = Assert.IsType<ReferralDischargedV1>(events[4]);
        Assert.Equal((42, "positive", new DateOnly(2025, 3, 20)), (discharged.DaysOnCaseload!.Value, discharged.Reason, discharged.StartedOn!.Value));
        Assert.Equal(("east", "gp", "district-nursing"), (discharged.UnitId, discharged.Source, discharged.Destination));
        Assert.Equal("discharged", plan.Changes["R-1"].After.Stage);
    }

    [Fact]
    public void Steps_out_of_order_are_refused_with_the_reason()
    {
        var received = new ReferralState("R-1", "east", "gp", "district-nursing", new DateOnly(2025, 3, 3));
        Assert.Equal("Referral 'R-1' must be triaged before it is assessed.", Lifecycle.Apply(received, Step(Steps.Assessed, 3, 10)).Refusal);
        Assert.Equal("Referral 'R-1' has not been received: send its 'received' step first.", Lifecycle.Apply(null, Step(Steps.Triaged, 3, 4, "accepted")).Refusal);

        var early = Lifecycle.Apply(received, Step(Steps.Triaged, 3, 1, "accepted"));
        Assert.Equal(("date", "The triaged date 2025-03-01 is before the received date 2025-03-03."), (early.Field, early.Refusal));

        var declined = received with { TriagedOn = new DateOnly(2025, 3, 4), Outcome = "declined_inappropriate" };
        Assert.Equal("closed", declined.Stage);
        Assert.Equal("Referral 'R-1' was triaged as declined_inappropriate: only an accepted referral is assessed.", Lifecycle.Apply(declined, Step(Steps.Assessed, 3, 10)).Refusal);
        Assert.Equal("Referral 'R-1' was closed at triage (declined_inappropriate); there is nothing to discharge.",
            Lifecycle.Apply(declined, Step(Steps.Discharged, 3, 10, reason: "negative")).Refusal);
        Assert.Equal("Referral 'R-1' must be assessed before its service starts.", Lifecycle.Apply(declined, Step(Steps.ServiceStarted, 3, 10)).Refusal);
    }

    [Fact]
    public void The_same_step_again_changes_nothing_and_a_different_one_is_refused()
    {
        var triaged = new ReferralState("R-1", "east", "gp", "district-nursing", new DateOnly(2025, 3, 3), new DateOnly(2025, 3, 4), "accepted");
        var same = Lifecycle.Apply(triaged, Step(Steps.Triaged, 3, 4, "accepted"));
        Assert.Equal((null, null, triaged), (same.Event, same.Refusal, same.State));
        Assert.Equal("Referral 'R-1' was already triaged on 2025-03-04 (accepted).", Lifecycle.Apply(triaged, Step(Steps.Triaged, 3, 5, "accepted")).Refusal);
        Assert.Equal("Referral 'R-1' was already received on 2025-03-03 with other details.",
            Lifecycle.Apply(triaged, new ReferralStep("R-1", Steps.Received, new DateOnly(2025, 3, 3), "west", "gp", "district-nursing")).Refusal);
    }

    [Fact]
    public void A_discharge_straight_after_assessment_has_no_caseload_days()
    {
        var assessed = new ReferralState("R-1", "east", "gp", "district-nursing", new DateOnly(2025, 3, 3), new DateOnly(2025, 3, 4), "accepted",
            AssessedOn: new DateOnly(2025, 3, 10));
        var discharged = Assert.IsType<ReferralDischargedV1>(Lifecycle.Apply(assessed, Step(Steps.Discharged, 3, 12, reason: "negative")).Event);
        Assert.Null(discharged.DaysOnCaseload);
        Assert.Null(discharged.StartedOn);
    }

    [Fact]
    public void A_batch_names_every_refused_row_and_plans_nothing()
    {
        var plan = ReferralBatch.Plan(
        [
            (1, Step(Steps.Received, 3, 3)),
            (2, Step(Steps.Assessed, 3, 5)),
            (3, Step(Steps.Triaged, 3, 4, outcome: "redirected", redirectedTo: "housing")),
            (4, Step(Steps.ServiceStarted, 3, 20)),
        ], new Dictionary<string, ReferralState>());
        Assert.Empty(plan.Changes);
        Assert.Equal([(2, "step"), (4, "step")], plan.Errors.Select(e => (e.Row!.Value, e.Field)));
    }
}

public sealed class ValidationTests
{
    private static readonly DateOnly Today = new(2025, 6, 20);

    [Theory]
    [InlineData("9434765919", "looks like an NHS number")]
    [InlineData("943 476 5919", "looks like an NHS number")]
    [InlineData("ref-07700900123", "looks like a phone number")]
    [InlineData("someone@example.org", "looks like an e-mail address")]
    [InlineData("nw15ab", "looks like a postcode")]
    [InlineData("R-000123", null)]
    [InlineData("ref-2025-00017", null)]
    [InlineData("district-nursing", null)]
    [InlineData("R-943.476.5919", "looks like an NHS number")] // the shared screen: any separators
    [InlineData("sw1a1aa", "looks like a postcode")]
    public void Identifying_content_is_recognised(string text, string? why) => Assert.Equal(why, Pseudonymisation.IdentifyingContent(text, Today));

    [Fact]
    public void Identifying_fields_and_codes_are_refused_with_each_field_named()
    {
        var request = new ReferralStepRequest("9434765919", "received", "2025-07-01", "east", "GP Surgery", null, "accepted")
        {
            Unexpected = new() { ["patientName"] = default, ["nhs_number"] = default },
        };
        var errors = new List<ValidationError>();
        Assert.Null(ReferralValidation.Validate(request, 3, Today, errors));
        Assert.Equal(["patientName", "nhs_number", "referralId", "date", "destination", "outcome", "source"], errors.Select(e => e.Field));
        Assert.All(errors, e => Assert.Equal(3, e.Row));
        Assert.StartsWith("Referral records are pseudonymised", errors[0].Message);
    }

    [Fact]
    public void Each_step_takes_only_its_own_fields()
    {
        var errors = new List<ValidationError>();
        ReferralValidation.Validate(new ReferralStepRequest("R-1", "triaged", "2025-03-04", UnitId: "east", Outcome: "redirected", Reason: "positive"), null, Today, errors);
        Assert.Equal(["unitId", "reason", "redirectedTo"], errors.Select(e => e.Field));
    }

    [Fact]
    public void Csv_rows_are_numbered_from_one_and_identifying_columns_refuse_the_file()
    {
        var (rows, errors) = ReferralCsv.Parse("referral_id,step,date,unit_id,source,destination\nR-1,received,2025-03-03,east,gp,district-nursing\nR-1,triaged\n");
        Assert.Equal("R-1", rows[0]!.ReferralId);
        Assert.Equal([(2, "row")], errors.Select(e => (e.Row!.Value, e.Field)));

        var (_, refused) = ReferralCsv.Parse("referral_id,step,date,nhs_number\n");
        Assert.StartsWith("Referral records are pseudonymised", Assert.Single(refused).Message);
    }
}
