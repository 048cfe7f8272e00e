using Icp.Hosting;
using Icp.Hosting.Intake;
using Icp.Identity.Admin;
using Icp.Identity.Server;

namespace Icp.Identity.People;

/// <summary><c>POST /api/v1/admin/users</c>: a person, their first password, roles and systems.</summary>
public sealed record CreatePersonRequest(string? Username, string? DisplayName, string? Password, List<string>? Roles,
    List<string>? Systems)
{
    public const int MaxUsername = 100;

    public List<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        if (string.IsNullOrEmpty(Username)) errors.Add(new(null, "username", "Required."));
        else if (Username.Length > MaxUsername || !Username.All(Passwords.UserNameCharacters.Contains))
            errors.Add(new(null, "username", $"Not a valid username ({Text.Echo(Username)}). Use 1–{MaxUsername} letters, " +
                                             "digits, '-', '.', '_' or '@'."));
        Text.Check(errors, null, "displayName", DisplayName, Text.MaxName);
        PasswordRequest.Check(errors, Password);
        AccessRequest.Check(errors, Roles, Systems);
        return errors;
    }
}

/// <summary><c>PUT /api/v1/admin/users/{username}/access</c>: replaces a person's roles and systems.</summary>
public sealed record AccessRequest(List<string>? Roles, List<string>? Systems)
{
    public const int MaxSystems = 50;

    public List<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        Check(errors, Roles, Systems);
        return errors;
    }

    public static void Check(List<ValidationError> errors, List<string>? roles, List<string>? systems)
    {
        Rules.OneOf(errors, "roles", roles, Server.Roles.All, required: true);
        Rules.Systems(errors, systems, MaxSystems, required: true);
    }
}

/// <summary><c>POST /api/v1/admin/users/{username}/password</c>: sets a new password (the person's sessions end).</summary>
public sealed record PasswordRequest(string? Password)
{
    public List<ValidationError> Validate()
    {
        var errors = new List<ValidationError>();
        Check(errors, Password);
        return errors;
    }

    public static void Check(List<ValidationError> errors, string? password)
    {
        if (string.IsNullOrEmpty(password)) errors.Add(new(null, "password", "Required."));
        else if (password.Length is < Passwords.MinLength or > Passwords.MaxLength)
            errors.Add(new(null, "password", $"Use {Passwords.MinLength}–{Passwords.MaxLength} characters ({password.Length:N0} given)."));
        else if (Text.IndexOfForbidden(password) >= 0)
            errors.Add(new(null, "password", "Contains a control character or broken Unicode."));
    }
}

/// <summary>A person as administrators see them: never a password or its hash.</summary>
public sealed record PersonView(string Username, string DisplayName, IList<string> Roles, List<string> Systems,
    DateTimeOffset? LockedOutUntil, int FailedAttempts);
