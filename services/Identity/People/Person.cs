using Microsoft.AspNetCore.Identity;

namespace Icp.Identity.People;

/// <summary>A person who signs in (ASP.NET Core Identity user) and the systems (boroughs) whose data they may see.</summary>
public sealed class Person : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public List<string> Systems { get; set; } = [];
}
