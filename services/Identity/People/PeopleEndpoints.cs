using Icp.Hosting;
using Icp.Identity.Admin;
using Icp.Identity.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Icp.Identity.People;

/// <summary>People for administrators: create, list, set roles and systems, reset a password, unlock.</summary>
public static class PeopleEndpoints
{
    public static WebApplication MapPeople(this WebApplication app)
    {
        var group = app.MapGroup("/api/v1/admin/users").RequireAdmin();
        group.MapPost("", CreateAsync);
        group.MapGet("", ListAsync);
        group.MapGet("/{username}", GetAsync);
        group.MapPut("/{username}/access", SetAccessAsync);
        group.MapPost("/{username}/password", ResetPasswordAsync);
        group.MapPost("/{username}/unlock", UnlockAsync);
        return app;
    }

    private static async Task<IResult> CreateAsync(CreatePersonRequest request, UserManager<Person> people, IdentityDb db,
        CancellationToken ct)
    {
        var errors = request.Validate();
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await people.FindByNameAsync(request.Username!) is not null)
            return Problems.Conflict($"A person '{request.Username}' exists.");
        var person = new Person
        {
            UserName = request.Username,
            DisplayName = request.DisplayName?.Trim() ?? request.Username!,
            Systems = request.Systems!,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var created = await people.CreateAsync(person, request.Password!);
        if (!created.Succeeded) return Refused(created);
        var roles = await people.AddToRolesAsync(person, request.Roles!);
        if (!roles.Succeeded) return Refused(roles);
        await transaction.CommitAsync(ct);
        return TypedResults.Created($"/api/v1/admin/users/{person.UserName}", await ViewAsync(people, person));
    }

    private static async Task<IResult> ListAsync(UserManager<Person> people, CancellationToken ct)
    {
        var views = new List<PersonView>();
        foreach (var person in await people.Users.OrderBy(p => p.UserName).ToListAsync(ct)) views.Add(await ViewAsync(people, person));
        return TypedResults.Ok(views);
    }

    private static async Task<IResult> GetAsync(string username, UserManager<Person> people) =>
        await people.FindByNameAsync(username) is { } person ? TypedResults.Ok(await ViewAsync(people, person)) : Missing(username);

    private static async Task<IResult> SetAccessAsync(string username, AccessRequest request, UserManager<Person> people,
        IdentityDb db, CancellationToken ct)
    {
        var errors = request.Validate();
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await people.FindByNameAsync(username) is not { } person) return Missing(username);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var current = await people.GetRolesAsync(person);
        var removed = await people.RemoveFromRolesAsync(person, current.Except(request.Roles!));
        if (!removed.Succeeded) return Refused(removed);
        var added = await people.AddToRolesAsync(person, request.Roles!.Except(current));
        if (!added.Succeeded) return Refused(added);
        person.Systems = request.Systems!;
        // A new security stamp: tokens are re-issued from the new roles at the next refresh.
        var updated = await people.UpdateSecurityStampAsync(person);
        if (!updated.Succeeded) return Refused(updated);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(await ViewAsync(people, person));
    }

    private static async Task<IResult> ResetPasswordAsync(string username, PasswordRequest request, UserManager<Person> people,
        IdentityDb db, CancellationToken ct)
    {
        var errors = request.Validate();
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await people.FindByNameAsync(username) is not { } person) return Missing(username);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var reset = await people.ResetPasswordAsync(person, await people.GeneratePasswordResetTokenAsync(person), request.Password!);
        if (!reset.Succeeded) return Refused(reset);
        await transaction.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> UnlockAsync(string username, UserManager<Person> people)
    {
        if (await people.FindByNameAsync(username) is not { } person) return Missing(username);
        await people.SetLockoutEndDateAsync(person, null);
        await people.ResetAccessFailedCountAsync(person);
        return TypedResults.NoContent();
    }

    private static async Task<PersonView> ViewAsync(UserManager<Person> people, Person person) =>
        new(person.UserName!, person.DisplayName, await people.GetRolesAsync(person), person.Systems,
            person.LockoutEnd is { } end && end > DateTimeOffset.UtcNow ? end : null, person.AccessFailedCount);

    private static IResult Missing(string username) => Problems.NotFound($"No person '{Hosting.Intake.Text.Echo(username)}'.");

    // What ASP.NET Core Identity refused (password policy, a taken name), as validation errors of the request.
    private static IResult Refused(IdentityResult result) => Problems.Validation([.. result.Errors.Select(e =>
        new ValidationError(null, e.Code.Contains("Password", StringComparison.Ordinal) ? "password"
            : e.Code.Contains("UserName", StringComparison.Ordinal) ? "username" : "roles", e.Description))]);
}
