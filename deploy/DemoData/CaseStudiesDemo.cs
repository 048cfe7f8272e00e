namespace Icp.DemoData;

/// <summary>
/// Stories, resident case studies, theographs and a small programme theory for the East neighbourhood, written for
/// the demo (no real person's words). Each is written with a fixed id (PUT, so a re-run changes nothing), validated by
/// its storyteller and published, so the library, the chart annotations and the story book have something to show.
/// </summary>
public sealed class CaseStudiesDemo : IDemoSection
{
    public string Name => "stories, case studies, theographs and a programme theory";

    public async Task LoadAsync(DemoClient client)
    {
        foreach (var (id, body) in Stories) await PublishAsync(client, "stories", id, body);
        foreach (var (id, body) in CaseStudies) await PublishAsync(client, "case-studies", id, body);
        foreach (var (id, body) in Theographs) await PublishAsync(client, "theographs", id, body);
        await PublishAsync(client, "realist-records", "demo-realist-east", ProgrammeTheory);
    }

    private static async Task PublishAsync(DemoClient client, string segment, string id, object body)
    {
        // A record already there (an earlier load, perhaps by another author) is left as it is: published records are
        // not rewritten, and a draft is its author's alone.
        if (await client.As("demo-steward", "consent:manage", "read:sensitive").ExistsAsync($"/api/v1/{segment}/{id}")) return;
        // Written by the storytellers' client (its author), validated and published by the data steward's.
        await client.As("demo-casestudies", "casestudies:write").PutAsync($"/api/v1/{segment}/{id}", body);
        var steward = client.As("demo-steward", "consent:manage");
        await steward.PostAsync($"/api/v1/{segment}/{id}/validate", new { validatedBy = "storyteller (demo)" });
        await steward.PostAsync($"/api/v1/{segment}/{id}/publish", new { });
    }

    public static readonly (string, object)[] Stories =
    [
        ("demo-story-duty-desk", new
        {
            title = "One call to the duty desk", role = "District nurse", month = "2024-11",
            unitIds = new[] { "east" }, indicatorIds = new[] { "reablement" }, periods = new[] { "2024-11" },
            biggestDifference = "The shared duty desk. Before, I phoned three teams and waited for call-backs; now one call reaches social care, the reablement team and the GP practice.",
            differenceForPerson = "A woman discharged after a hip operation had no package of care in place on her first evening home. The duty desk arranged a reablement visit the same afternoon.",
            risks = "She was frightened to move without help, had stopped drinking to avoid the stairs and was at risk of another fall.",
            howOutcomeChanged = "Reablement started the next morning; within three weeks she was making her own meals.",
            otherwise = "She would probably have been readmitted through A&E within the week.",
            tags = new[] { "duty desk", "hospital discharge" },
        }),
        ("demo-story-huddle", new
        {
            title = "The morning huddle", role = "Social worker", month = "2025-02",
            unitIds = new[] { "east" }, indicatorIds = new[] { "reablement" }, periods = new[] { "2025-01", "2025-02" },
            biggestDifference = "Fifteen minutes every morning with the nurses, the housing officer and the voluntary sector coordinator.",
            differenceForPerson = "A man who kept missing appointments turned out to be caring for his brother. The voluntary sector coordinator found a sitting service so he could attend.",
            risks = "Carer breakdown, and two people losing their independence at once.",
            howOutcomeChanged = "Both brothers stayed at home; the carer now has a regular break.",
            otherwise = "An emergency placement for one of them, and a crisis for the other.",
            tags = new[] { "huddle", "carers" },
        }),
        ("demo-story-pharmacist", new
        {
            title = "Medicines at the kitchen table", role = "Practice pharmacist", month = "2025-05",
            unitIds = new[] { "east" }, indicatorIds = Array.Empty<string>(), periods = new[] { "2025-05" },
            biggestDifference = "Joint home visits with the community nursing team.",
            differenceForPerson = "We found four boxes of the same tablet from different prescribers and simplified the regime to once a day.",
            risks = "Over-medication, confusion and falls.",
            howOutcomeChanged = "The resident manages her own medicines with a weekly check from her daughter.",
            otherwise = "Another fall, and possibly a hospital stay.",
            tags = new[] { "medicines", "joint visit" },
        }),
    ];

    public static readonly (string, object)[] CaseStudies =
    [
        ("demo-case-mr-a", new
        {
            pseudonym = "Mr A", month = "2024-12", unitIds = new[] { "east" }, indicatorIds = new[] { "reablement" },
            situation = "Lives alone in a first-floor flat; five ambulance call-outs in two months after falls at night.",
            background = "Former bus driver, recently bereaved, reluctant to accept carers in the home.",
            systemRisks = new[]
            {
                new { type = "falls", description = "Repeated night-time falls on the way to the bathroom." },
                new { type = "emergency_callout", description = "Ambulance called five times." },
                new { type = "unplanned_admission", description = "Two short admissions with no lasting plan." },
            },
            recommendations = new[] { "Occupational therapy assessment for a commode and grab rails.", "Bereavement support through the voluntary sector.", "A single named key worker." },
            outcome = "No falls reported in the following three months; he now attends a lunch club twice a week.",
            tags = new[] { "falls", "multi-agency meeting" },
        }),
        ("demo-case-ms-b", new
        {
            pseudonym = "Ms B", month = "2025-03", unitIds = new[] { "east" }, indicatorIds = Array.Empty<string>(),
            situation = "Hoarding in a council flat; a small kitchen fire was put out by a neighbour.",
            background = "Long history of low mood; no contact with services for several years.",
            systemRisks = new[]
            {
                new { type = "fire", description = "Cluttered escape routes and a blocked cooker." },
                new { type = "housing_loss", description = "Notice seeking possession under consideration." },
                new { type = "self_neglect", description = "Not eating regular meals." },
            },
            recommendations = new[] { "Fire service safe and well visit.", "Housing to pause enforcement while support starts.", "Mental health assessment at home." },
            outcome = "Tenancy kept; escape routes cleared over six weeks with a support worker she chose.",
            tags = new[] { "hoarding", "housing" },
        }),
        ("demo-case-mrs-c", new
        {
            pseudonym = "Mrs C", month = "2025-06", unitIds = new[] { "east" }, indicatorIds = new[] { "reablement" },
            situation = "Frequent police welfare checks after calls from neighbours about shouting at night.",
            background = "Early dementia; husband is her carer and is exhausted.",
            systemRisks = new[]
            {
                new { type = "police_antisocial_behaviour", description = "Eight police attendances in a quarter." },
                new { type = "carer_breakdown", description = "Husband said he could not go on." },
                new { type = "safeguarding", description = "Concern about unexplained bruising, later explained by falls." },
            },
            recommendations = new[] { "Memory service review.", "Carer's assessment and respite.", "Agreed plan shared with the police neighbourhood team." },
            outcome = "Night-time calls stopped after medication review and a weekly day centre place.",
            tags = new[] { "dementia", "carers" },
        }),
    ];

    public static readonly (string, object)[] Theographs =
    [
        ("demo-theograph-mr-a", new
        {
            title = "Service use: Mr A", pseudonym = "Mr A", unitIds = new[] { "east" }, indicatorIds = new[] { "reablement" },
            summary = "Acute contacts cluster before the multi-agency meeting in December; community contacts replace them afterwards.",
            events = new object[]
            {
                new { date = "2024-09-03", setting = "ambulance", note = "Fall at night" },
                new { date = "2024-09-03", setting = "ae" },
                new { date = "2024-09-20", setting = "gp" },
                new { date = "2024-10-11", setting = "ambulance", note = "Fall at night" },
                new { date = "2024-10-11", setting = "admission", days = 3 },
                new { date = "2024-10-29", setting = "ambulance" },
                new { date = "2024-11-14", setting = "ambulance", note = "Fall on the stairs" },
                new { date = "2024-11-14", setting = "admission", days = 5 },
                new { date = "2024-12-05", setting = "social_care", note = "Multi-agency meeting" },
                new { date = "2024-12-09", setting = "community_health", note = "Occupational therapy visit" },
                new { date = "2024-12-20", setting = "vcs", note = "Bereavement support" },
                new { date = "2025-01-15", setting = "community_health" },
                new { date = "2025-01-22", setting = "vcs", note = "Lunch club" },
                new { date = "2025-02-19", setting = "gp", note = "Review" },
                new { date = "2025-03-12", setting = "vcs", note = "Lunch club" },
            },
            tags = new[] { "falls" },
        }),
        ("demo-theograph-mrs-c", new
        {
            title = "Service use: Mrs C", pseudonym = "Mrs C", unitIds = new[] { "east" },
            summary = "Police and A&E contacts give way to memory service and day centre contacts.",
            events = new object[]
            {
                new { date = "2025-02-02", setting = "other", note = "Police welfare check" },
                new { date = "2025-02-17", setting = "ae" },
                new { date = "2025-03-01", setting = "other", note = "Police welfare check" },
                new { date = "2025-03-20", setting = "gp" },
                new { date = "2025-04-08", setting = "mental_health", note = "Memory service" },
                new { date = "2025-04-22", setting = "social_care", note = "Carer's assessment" },
                new { date = "2025-05-06", setting = "vcs", note = "Day centre" },
                new { date = "2025-05-13", setting = "vcs", note = "Day centre" },
                new { date = "2025-06-03", setting = "mental_health" },
            },
            tags = new[] { "dementia" },
        }),
    ];

    public static readonly object ProgrammeTheory = new
    {
        title = "East INT programme theory (first cycle)", month = "2025-06", unitIds = new[] { "east" },
        summary = "How co-location and the daily huddle were expected to change the way the team works, and what the first cycle of interviews and observation found.",
        outcomes = new object[]
        {
            new
            {
                name = "Building relationships",
                cmocs = new[]
                {
                    new
                    {
                        context = "Staff from four organisations share a base for the first time.",
                        enablingContexts = new[] { "shared kitchen and desks", "a team lead who introduces new starters" },
                        constrainingContexts = new[] { "part-time staff who rarely overlap" },
                        mechanism = "Familiarity: staff put names to faces and feel able to ask informally.",
                        outcome = "Questions settled in minutes instead of by referral.",
                        evidence = new[]
                        {
                            new { source = "interview", reference = "Round 1, nurse", summary = "Described asking a social worker across the desk rather than writing a referral." },
                            new { source = "observation", reference = "Base visit 2", summary = "Informal case discussions at the kitchen counter." },
                        },
                    },
                },
            },
            new
            {
                name = "Sharing information",
                cmocs = new[]
                {
                    new
                    {
                        context = "A daily fifteen-minute huddle with a rotating chair.",
                        enablingContexts = new[] { "a fixed start time", "a shared list of residents of concern" },
                        constrainingContexts = new[] { "separate record systems", "rota gaps on Mondays" },
                        mechanism = "Trust in colleagues' judgement makes staff willing to act on what they hear.",
                        outcome = "Fewer repeat assessments of the same resident.",
                        evidence = new[]
                        {
                            new { source = "field_notes", reference = "Huddle notes, March", summary = "Actions agreed for most residents discussed." },
                            new { source = "interview", reference = "Round 1, housing officer", summary = "Valued hearing about tenants before a crisis." },
                        },
                    },
                },
            },
            new
            {
                name = "Better care",
                cmocs = new[]
                {
                    new
                    {
                        context = "Residents with repeated falls and emergency call-outs.",
                        enablingContexts = new[] { "named key worker" },
                        constrainingContexts = new[] { "waiting list for equipment" },
                        mechanism = "Residents feel known and accept help they had refused before.",
                        outcome = "Fewer emergency call-outs after the multi-agency meeting.",
                        evidence = new[] { new { source = "data", reference = "Theograph of Mr A", summary = "Acute contacts replaced by community contacts." } },
                    },
                },
            },
        },
        themes = new[]
        {
            new { name = "Huddles", barriers = new[] { "rota gaps", "meetings overrunning" }, enablers = new[] { "a chair who keeps time", "a shared list" } },
            new { name = "Information sharing", barriers = new[] { "separate record systems" }, enablers = new[] { "agreed consent wording" } },
        },
        tags = new[] { "programme theory" },
    };
}
