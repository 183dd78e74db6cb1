namespace Relay.Testing;

/// <summary>Finds the repository's projects and their build output from a test's output folder.</summary>
public static class RepositoryPaths
{
    /// <summary>The folder holding RelayChat.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>The built dll of project <paramref name="project"/>, in the configuration the tests were built in.</summary>
    public static string BuiltDll(string project)
    {
        // Test output is <root>/tests/<Project>/bin/<Configuration>/<tfm>/.
        var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = tfmDir.Parent!.Name;
        var path = Path.Combine(Root, project, "bin", configuration, tfmDir.Name, project + ".dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"{path} is not built; the test project should reference {project} so the build builds it.");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RelayChat.sln")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException("RelayChat.sln not found above " + AppContext.BaseDirectory);
    }
}
