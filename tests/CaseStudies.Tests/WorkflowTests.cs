using Icp.CaseStudies.Domain;
using Icp.Contracts.CaseStudies;
using Xunit;

namespace Icp.CaseStudies.Tests;

public sealed class WorkflowTests
{
    private static readonly DateTimeOffset Now = new(2025, 10, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly EncryptedNarrative Cipher = new(NarrativeCipher.Algorithm, "n", "c", "t");

    private static CaseRecordDraftedV1 Draft(string month = "2025-09") =>
        new("st-1", "story", "District nurse", month, ["east"], [], [], Cipher);

    private static RecordState State(params object[] events) =>
        Workflow.Fold(events.Select((e, i) => (e, (long)i + 1)))!;

    [Fact]
    public void Folds_the_whole_path_to_published()
    {
        var state = State(Draft(), new CaseRecordSentForValidationV1("st-1", "story", Now),
            new CaseRecordValidatedV1("st-1", "story", "storyteller", Now), new CaseRecordPublishedV1("st-1", "story", Now));
        Assert.Equal((RecordStatus.Published, 4L, "storyteller"), (state.Status, state.Version, state.ValidatedBy));
    }

    [Fact]
    public void Publishing_needs_validation_first()
    {
        Assert.IsType<Decision.Refuse>(Workflow.Publish(State(Draft()), Now));
        Assert.IsType<Decision.Refuse>(Workflow.Publish(State(Draft(), new CaseRecordSentForValidationV1("st-1", "story", Now)), Now));
    }

    [Fact]
    public void Validation_records_who_and_when()
    {
        var decision = Assert.IsType<Decision.Apply>(Workflow.Validate(State(Draft()), "storyteller", Now));
        Assert.Equal(new CaseRecordValidatedV1("st-1", "story", "storyteller", Now), decision.Event);
    }

    [Fact]
    public void Repeating_a_step_changes_nothing()
    {
        var published = State(Draft(), new CaseRecordValidatedV1("st-1", "story", "storyteller", Now), new CaseRecordPublishedV1("st-1", "story", Now));
        Assert.IsType<Decision.AlreadyDone>(Workflow.Publish(published, Now));
        Assert.IsType<Decision.AlreadyDone>(Workflow.Validate(published, "someone else", Now));
    }

    [Fact]
    public void Only_drafts_can_be_revised_and_same_content_is_no_change()
    {
        Assert.IsType<Decision.Apply>(Workflow.Revise(State(Draft()), Draft("2025-08"), sameContent: true));
        Assert.IsType<Decision.AlreadyDone>(Workflow.Revise(State(Draft()), Draft(), sameContent: true));
        var validated = State(Draft(), new CaseRecordValidatedV1("st-1", "story", "storyteller", Now));
        Assert.IsType<Decision.Refuse>(Workflow.Revise(validated, Draft(), sameContent: false));
        Assert.IsType<Decision.AlreadyDone>(Workflow.Revise(validated, Draft(), sameContent: true));
    }

    [Fact]
    public void Withdrawal_is_allowed_in_any_state_and_final()
    {
        Assert.IsType<Decision.Apply>(Workflow.Withdraw(State(Draft()), null, Now));
        var withdrawn = State(Draft(), new CaseRecordConsentWithdrawnV1("st-1", "story", Now, null));
        Assert.Equal(RecordStatus.Withdrawn, withdrawn.Status);
        Assert.IsType<Decision.AlreadyDone>(Workflow.Withdraw(withdrawn, null, Now));
        Assert.IsType<Decision.Refuse>(Workflow.Validate(withdrawn, "storyteller", Now));
        Assert.IsType<Decision.Refuse>(Workflow.Publish(withdrawn, Now));
        Assert.IsType<Decision.Refuse>(Workflow.Revise(withdrawn, Draft("2025-08"), sameContent: false));
    }
}

public sealed class LinkValidationTests
{
    private static StoryRequest Story(params string[] indicatorIds) =>
        new(null, "District nurse", "2025-09", ["east"], [.. indicatorIds], [], "Fewer falls at home.", "She stayed at home.", null, null, null, []);

    [Fact]
    public void A_story_may_link_one_type_of_an_indicator_counted_by_type()
    {
        var today = new DateOnly(2025, 10, 1);
        Assert.Empty(Story("reablement", "incidents-by-type:falls").Validate(today));
        Assert.Equal(["indicatorIds[0]", "indicatorIds[1]", "indicatorIds[2]"],
            Story("incidents-by-type:", ":falls", "a:b:c").Validate(today).Select(e => e.Field));
    }
}
