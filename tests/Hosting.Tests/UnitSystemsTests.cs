using System.Security.Claims;
using Icp.Hosting.Security;
using Xunit;

namespace Icp.Hosting.Tests;

public sealed class UnitSystemsTests
{
    private static readonly (string, string, string?)[] Tree =
    [
        ("camden", "system", null),
        ("north", "locality", "camden"),
        ("east", "neighbourhood", "north"),
        ("east-team", "team", "east"),
        ("islington", "system", null),
        ("central", "neighbourhood", "islington"),
        ("orphan", "neighbourhood", null),
        ("lost", "neighbourhood", "not-defined"),
        ("loop-a", "locality", "loop-b"),
        ("loop-b", "locality", "loop-a"),
    ];

    [Fact]
    public void Each_unit_belongs_to_its_nearest_system_ancestor_and_a_unit_under_none_to_no_system()
    {
        var systems = UnitSystems.Resolve(Tree);
        Assert.Equal("camden", systems["camden"]);
        Assert.Equal("camden", systems["east"]);
        Assert.Equal("camden", systems["east-team"]);
        Assert.Equal("islington", systems["central"]);
        Assert.Null(systems["orphan"]);
        Assert.Null(systems["lost"]);
        Assert.Null(systems["loop-a"]);   // a cycle ends the walk
        Assert.Null(systems["loop-b"]);
    }

    private sealed class Fixed(IReadOnlyDictionary<string, string?> map) : UnitSystems(TimeProvider.System)
    {
        public int Loads { get; private set; }
        protected override Task<IReadOnlyDictionary<string, string?>> LoadAsync(CancellationToken ct)
        {
            Loads++;
            return Task.FromResult(map);
        }
    }

    private static Caller Person(params string[] systems)
    {
        var identity = new ClaimsIdentity(CallerClaims.AuthenticationType);
        identity.AddClaim(new(CallerClaims.Principal, "someone"));
        foreach (var system in systems) identity.AddClaim(new(CallerClaims.System, system));
        return Caller.Of(new ClaimsPrincipal(identity));
    }

    [Fact]
    public async Task A_caller_of_one_system_sees_its_units_only_and_unknown_units_are_not_theirs()
    {
        var directory = new Fixed(UnitSystems.Resolve(Tree));
        var scope = await directory.ScopeAsync(Person("camden"), (IEnumerable<string>?)null, default);
        Assert.False(scope.IsEverything);
        Assert.True(scope.Includes("east-team"));
        Assert.False(scope.Includes("central"));
        Assert.False(scope.Includes("orphan"));
        Assert.False(scope.Includes("never-heard-of"));
        Assert.False(scope.Includes(null));
        Assert.True(scope.IncludesAll(["east", "north"]));
        Assert.False(scope.IncludesAll(["east", "central"]));
        Assert.Equal(["camden", "east", "east-team", "north"], scope.UnitIds!.Order());
    }

    [Fact]
    public async Task Every_system_and_the_operator_see_everything_without_reading_the_tree()
    {
        var directory = new Fixed(UnitSystems.Resolve(Tree));
        var everyone = await directory.ScopeAsync(Person(CallerClaims.AllSystems), ["orphan"], default);
        Assert.True(everyone.Includes("orphan"));
        Assert.True(everyone.Includes("never-heard-of"));
        Assert.Null(everyone.UnitIds);
        var op = await directory.ScopeAsync(Caller.Of(new ClaimsPrincipal(CallerClaims.ForOperator())), ["central"], default);
        Assert.True(op.IsEverything);
        Assert.Equal(0, directory.Loads);
    }

    [Fact]
    public async Task The_tree_is_kept_between_requests()
    {
        var directory = new Fixed(UnitSystems.Resolve(Tree));
        await directory.ScopeAsync(Person("camden"), ["east"], default);
        await directory.ScopeAsync(Person("islington"), ["central"], default);
        Assert.Equal(1, directory.Loads);
    }
}
