using Icp.Hosting.Security;

namespace Icp.CaseStudies.Domain;

/// <summary>
/// Who may do what with a qualitative record. A record not yet published is its author's and the consent managers'
/// alone (to anyone else it does not exist: 404, so ids do not leak); a published or withdrawn one is read with
/// <c>read:sensitive</c>. Only the author revises a draft and sends it for validation; validation and publication are
/// for consent managers; withdrawal for the author or a consent manager. Beside all that, a record is seen only by
/// callers of every system whose units it names.
/// </summary>
public static class RecordAccess
{
    public static bool IsAuthor(Caller caller, string? author) =>
        caller.IsOperator || (author is not null && caller.Has(Scopes.CaseStudiesWrite) && caller.Principal == author);

    public static bool MayRead(Caller caller, UnitScope scope, IEnumerable<string> unitIds, string status, string? author) =>
        scope.IncludesAll(unitIds)
        && (caller.Has(Scopes.ConsentManage) || IsAuthor(caller, author)
            || (status is RecordStatus.Published or RecordStatus.Withdrawn && caller.Has(Scopes.ReadSensitive)));

    public static bool MayWithdraw(Caller caller, string? author) => caller.Has(Scopes.ConsentManage) || IsAuthor(caller, author);
}
