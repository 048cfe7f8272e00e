namespace Icp.Surveys.Domain;

public sealed record InstrumentTemplate(string TemplateId, string Description, InstrumentRequest Instrument);

/// <summary>
/// The two built-in instruments, as editable starting points: fetch one, change what you need, PUT it as an
/// instrument (or create it unchanged with POST /instruments/{id}/from-template/{templateId}). The wording is the
/// platform's own.
/// </summary>
public static class Templates
{
    public const string StaffSurveyId = "int-staff-survey";
    public const string PartnershipAssessmentId = "partnership-assessment";

    private static readonly List<string> Agreement5 = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"];
    private static readonly List<string> Agreement4 = ["Strongly disagree", "Disagree", "Agree", "Strongly agree"];
    private static readonly List<string> Frequency5 = ["Never", "Rarely", "Sometimes", "Often", "Always"];

    private static readonly Lazy<IReadOnlyList<InstrumentTemplate>> Built = new(() => [StaffSurvey(), PartnershipAssessment()]);

    public static IReadOnlyList<InstrumentTemplate> All => Built.Value;

    public static InstrumentTemplate? Find(string templateId) => All.FirstOrDefault(t => t.TemplateId == templateId);

    private static ItemRequest Agree(string id, string label, string text) =>
        new(id, text, label, "scale", "agreement", 1, 5, 4, null, Agreement5);

    private static ItemRequest Comment(string id, string label, string text) =>
        new(id, text, label, "freetext", null, null, null, null, null, null);

    private static InstrumentTemplate StaffSurvey() => new(StaffSurveyId,
        "Integrated neighbourhood team staff survey: 13 scaled items and 4 free-text questions, for before/after waves.",
        new InstrumentRequest("INT staff survey", "none",
        [
            Agree("Q01", "Residents get the care they need", "I am satisfied that the residents I work with get the care and support they need."),
            Agree("Q02", "Joined-up experience", "Residents experience our services as joined up rather than as separate organisations."),
            Agree("Q03", "Part of a multidisciplinary team", "I feel part of a team that brings different professions together."),
            Agree("Q04", "Trust in other professions", "I trust colleagues from other professions to do their part for a resident."),
            Agree("Q05", "Skills used across disciplines", "I can use my own skills to support colleagues from other disciplines."),
            Agree("Q06", "Knows NHS and council services", "I understand what local NHS and council services can offer the people I work with."),
            Agree("Q07", "Knows voluntary sector offer", "I understand what local voluntary and community organisations can offer."),
            new ItemRequest("Q08", "In a typical week, how often do you work directly with staff from another organisation?",
                "Works with other organisations", "scale", "frequency", 1, 5, 4, null, Frequency5),
            Agree("Q09", "Feels valued", "I feel my contribution is valued by the wider team."),
            Agree("Q10", "Feels supported", "I feel supported when a case becomes difficult."),
            Agree("Q11", "Connected to the community", "I feel connected to the community my team serves."),
            Agree("Q12", "Access to other services' information", "I can get the information I need from other services without delay."),
            new ItemRequest("Q13", "On a scale from 1 (not at all) to 10 (extremely), how motivated do you feel in your work at the moment?",
                "Motivation", "scale", "rating", 1, 10, 7, null, null),
            Comment("C1", "Difference the INT made", "What difference, if any, has the neighbourhood team made to your work?"),
            Comment("C2", "What would improve collaboration", "What would most improve how services work together here?"),
            Comment("C3", "Most successful element", "Which part of the new way of working has worked best, and why?"),
            Comment("C4", "Least successful element", "Which part has worked least well, and why?"),
        ]));

    private static readonly string[][] PatStatements =
    [
        [
            "Partners agree that working together adds something none of us could achieve alone.",
            "The reasons for working in partnership are understood in every partner organisation.",
            "Partners recognise where their services overlap and depend on each other.",
            "Partners accept that some of their own aims are best met through the partnership.",
            "Past experience of joint working is used to shape this partnership.",
            "The partnership is seen as part of normal business, not an optional extra.",
        ],
        [
            "The partnership has a shared purpose that partners can state in their own words.",
            "The partnership's aims are realistic for the time and resources available.",
            "Partners agree what success would look like for residents.",
            "Priorities are set jointly rather than by the largest partner.",
            "The aims are written down and revisited when circumstances change.",
            "Short-term actions are clearly linked to the longer-term aims.",
        ],
        [
            "Senior leaders in each partner organisation visibly back the partnership.",
            "Each partner contributes staff time or resources in a fair way.",
            "Staff at all levels know what the partnership expects of them.",
            "Partners follow through on what they agree to do.",
            "Responsibility for the partnership's work is shared, not left to one partner.",
            "Commitment to the partnership survives changes of personnel.",
        ],
        [
            "Partners are open about their own organisation's constraints.",
            "Disagreements are raised and resolved rather than avoided.",
            "Every partner's contribution is valued, whatever its size.",
            "Partners share information readily with each other.",
            "Partners trust each other to act in the interest of the partnership.",
            "Credit for achievements is shared fairly among partners.",
        ],
        [
            "Roles and responsibilities within the partnership are clear.",
            "Decision-making arrangements are clear and work in practice.",
            "Meetings and communication routes are effective and not overly burdensome.",
            "Arrangements for pooling or aligning resources are clear.",
            "There are agreed ways of handling risk and problems when they arise.",
            "The arrangements are reviewed and adjusted when they stop working.",
        ],
        [
            "The partnership has agreed measures of its progress.",
            "Progress is reviewed regularly and openly with all partners.",
            "Residents' and staff views are used to judge what is working.",
            "Lessons from what has not worked are shared and acted on.",
            "Successes are communicated within and beyond the partner organisations.",
            "The partnership changes course when the evidence suggests it should.",
        ],
    ];

    private static InstrumentTemplate PartnershipAssessment()
    {
        var items = new List<ItemRequest?>();
        for (var p = 0; p < 6; p++)
            for (var s = 0; s < 6; s++)
                items.Add(new ItemRequest($"P{p + 1}S{s + 1}", PatStatements[p][s], $"Principle {p + 1}, statement {s + 1}",
                    "scale", "agreement4", 1, 4, 3, (p + 1).ToString(), Agreement4));
        items.Add(new ItemRequest("AIMS", "Overall, is the partnership achieving its aims?", "Achieving its aims", "scale", "yesno",
            1, 2, 2, SurveyVocabulary.AimsGroup, ["Disagree", "Agree"]));
        items.Add(Comment("COMMENTS", "Comments", "Any comments on how the partnership works?"));
        return new InstrumentTemplate(PartnershipAssessmentId,
            "Partnership Assessment Tool (six principles of six statements on a four-point scale, no neutral), " +
            "plus whether the partnership is achieving its aims and a comments box.",
            new InstrumentRequest("Partnership Assessment Tool", "pat", items));
    }
}
