<#
.SYNOPSIS
    Builds the solution and writes artifacts/ExchangeEncryptionAgent-<version>.zip, the package administrators install from.

.DESCRIPTION
    The zip holds:
      agent/      ExchangeEncryptionAgent.dll (net48, what Exchange loads), every DLL beside it in the build output
                  (MimeKit, BouncyCastle.Cryptography, NLog, System.*: everything it loads) and NLog.config;
      Policies/   policy.xsd, default.xml and examples/, when they exist;
      install.ps1 and Installer/ (the module, built into one .psm1, without its tests);
      docs/.
    The module is written as Installer/Public/ (one file per exported function) and Installer/Private/ (one file per
    concern); the package holds it as one ExchangeEncryptionAgent.Installer.psm1: one file to sign, and a fast import
    in the Exchange Management Shell. Private/ModuleState.ps1 comes first, then Private/ and Public/ by name.
    Never Microsoft.Exchange.* (Exchange provides its own; ours is a stand-in), never test assemblies or xunit.
    The version is <Version> in Directory.Build.props. The finished zip is checked against these rules.

.PARAMETER Configuration
    The build configuration to package. Default: Release.

.PARAMETER OutputDirectory
    Where to write the zip. Default: artifacts/ at the repository root.

.PARAMETER NoBuild
    Package what is already built instead of running dotnet build first.

.PARAMETER AgentOutputPath
    The folder holding the built net48 agent. Default: Agent/bin/<Configuration>/net48.

.PARAMETER ModuleOnly
    Only build the installer module (ExchangeEncryptionAgent.Installer.psm1 and .psd1) into -OutputDirectory and
    return the .psd1; no dotnet build, no zip. The Pester tests import the module built this way, as it ships.

.EXAMPLE
    pwsh -File Installer/New-ReleasePackage.ps1

    Builds Release and writes artifacts/ExchangeEncryptionAgent-<version>.zip.

.EXAMPLE
    pwsh -File Installer/New-ReleasePackage.ps1 -NoBuild -OutputDirectory /tmp/out

    Packages the existing Release build into /tmp/out.

.EXAMPLE
    pwsh -File Installer/New-ReleasePackage.ps1 -ModuleOnly -OutputDirectory /tmp/module

    Builds only the single-file installer module into /tmp/module.
#>
[CmdletBinding()]
param(
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    [string] $OutputDirectory,
    [switch] $NoBuild,
    [string] $AgentOutputPath,
    [switch] $ModuleOnly
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$repoRoot = Split-Path -Parent $PSScriptRoot
$packageName = 'ExchangeEncryptionAgent'
$moduleName = 'ExchangeEncryptionAgent.Installer'

# What never ships: Exchange's own assemblies (the server has them; ours is a stand-in) and anything from testing.
$forbiddenPatterns = @('Microsoft.Exchange.*', '*.Tests.dll', '*.Tests.*', 'xunit*', 'Microsoft.TestPlatform*', 'testhost*', 'Microsoft.NET.Test.Sdk*', 'Microsoft.VisualStudio.*', 'coverlet*', 'CsCheck*', 'Pester*')

function Get-PackageVersion {
    $props = New-Object System.Xml.XmlDocument
    $props.Load((Join-Path $repoRoot 'Directory.Build.props'))
    $node = $props.SelectSingleNode('/Project/PropertyGroup/Version')
    if ($null -eq $node -or -not $node.InnerText.Trim()) {
        throw 'Directory.Build.props has no <Version>.'
    }
    $node.InnerText.Trim()
}

function Invoke-SolutionBuild {
    & dotnet build -c $Configuration (Join-Path $repoRoot 'ExchangeEncryptionAgent.sln') --nologo
    if ($LASTEXITCODE -ne 0) {
        throw "dotnet build -c $Configuration failed (exit code $LASTEXITCODE); no package was written."
    }
}

function Test-Forbidden {
    param([Parameter(Mandatory)][string] $Name)

    foreach ($pattern in $forbiddenPatterns) {
        if ($Name -like $pattern) {
            return $true
        }
    }
    $false
}

function Copy-AgentFolder {
    # Every DLL the build put beside the agent is something it may load inside EdgeTransport.exe: ship them all.
    param([string] $Source, [string] $Destination)

    if (-not (Test-Path -LiteralPath (Join-Path $Source "$packageName.dll") -PathType Leaf)) {
        throw "No $packageName.dll in '$Source'. Build first (dotnet build -c $Configuration ExchangeEncryptionAgent.sln) or leave out -NoBuild."
    }
    $null = New-Item -ItemType Directory -Path $Destination -Force
    foreach ($dll in @(Get-ChildItem -LiteralPath $Source -Filter '*.dll' -File)) {
        if (Test-Forbidden -Name $dll.Name) {
            Write-Warning "Not packaged: $($dll.Name) (Exchange or test assembly)."
            continue
        }
        Copy-Item -LiteralPath $dll.FullName -Destination $Destination
    }
    Copy-Item -LiteralPath (Join-Path $PSScriptRoot 'NLog.config') -Destination $Destination
}

function Copy-IfPresent {
    param([string] $Source, [string] $Destination)

    if (Test-Path -LiteralPath $Source) {
        Copy-Item -LiteralPath $Source -Destination $Destination -Recurse -Force
    }
}

function Get-ModuleFunctionName {
    # The functions a source file defines at its top level, by parsing it (a dot-sourced file could run anything).
    param([Parameter(Mandatory)][string] $Path)

    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $tokens, [ref] $errors)
    if (@($errors).Count -gt 0) {
        throw "${Path}: $($errors[0].Message) (line $($errors[0].Extent.StartLineNumber))."
    }
    foreach ($statement in $ast.EndBlock.Statements) {
        if ($statement -isnot [System.Management.Automation.Language.FunctionDefinitionAst]) {
            throw "${Path}: line $($statement.Extent.StartLineNumber) is not a function definition; only Private/ModuleState.ps1 may hold other statements."
        }
        $statement.Name
    }
}

function New-InstallerModule {
    # Private/ModuleState.ps1 (#Requires, strict mode, the facts every function reads), then Private/ and Public/ by
    # name, each inside a #region naming its source file, then the export of exactly the Public/ functions.
    param([Parameter(Mandatory)][string] $Destination)

    $state = Join-Path (Join-Path $PSScriptRoot 'Private') 'ModuleState.ps1'
    $private = @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Private') -Filter '*.ps1' -File | Where-Object { $_.FullName -ne $state } | Sort-Object Name)
    $public = @(Get-ChildItem -LiteralPath (Join-Path $PSScriptRoot 'Public') -Filter '*.ps1' -File | Sort-Object Name)
    foreach ($file in $public) {
        $names = @(Get-ModuleFunctionName -Path $file.FullName)
        if ($names.Count -ne 1 -or $names[0] -ne $file.BaseName) {
            throw "$($file.FullName) must define exactly one function, $($file.BaseName); it defines: $($names -join ', ')."
        }
    }
    foreach ($file in $private) {
        $null = Get-ModuleFunctionName -Path $file.FullName
    }
    $exported = @($public | ForEach-Object { $_.BaseName })
    $manifestPath = Join-Path $PSScriptRoot "$moduleName.psd1"
    $manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
    $declared = @($manifest.FunctionsToExport | Sort-Object)
    if (($declared -join ',') -ne (@($exported | Sort-Object) -join ',')) {
        throw "$manifestPath exports $($declared -join ', '), but Public/ holds $($exported -join ', '). Make FunctionsToExport list exactly the Public/ functions."
    }

    $parts = New-Object System.Collections.Generic.List[string]
    $parts.Add((Get-Content -Raw -LiteralPath $state).TrimEnd())
    foreach ($file in $private + $public) {
        $relative = "$($file.Directory.Name)/$($file.Name)"
        $parts.Add("#region $relative`r`n`r`n$((Get-Content -Raw -LiteralPath $file.FullName).TrimEnd())`r`n`r`n#endregion $relative")
    }
    $parts.Add("Export-ModuleMember -Function @(`r`n$(($exported | ForEach-Object { "    '$_'" }) -join ",`r`n")`r`n)")
    $text = (($parts -join "`r`n`r`n") -replace "`r?`n", "`r`n") + "`r`n"
    # Windows PowerShell 5.1 reads a file without a byte order mark as the ANSI code page: keep the module ASCII.
    if ($text -match '[^\x00-\x7F]') {
        throw "The installer module sources hold a non-ASCII character; Windows PowerShell 5.1 would misread it."
    }
    $null = New-Item -ItemType Directory -Path $Destination -Force
    [System.IO.File]::WriteAllText((Join-Path $Destination "$moduleName.psm1"), $text, (New-Object System.Text.ASCIIEncoding))
    Copy-Item -LiteralPath $manifestPath -Destination $Destination -Force
    Get-Item -LiteralPath (Join-Path $Destination "$moduleName.psd1")
}

function New-PackageLayout {
    param([string] $Staging, [string] $AgentSource)

    Copy-AgentFolder -Source $AgentSource -Destination (Join-Path $Staging 'agent')
    Copy-IfPresent -Source (Join-Path $repoRoot 'Policies') -Destination $Staging
    Copy-Item -LiteralPath (Join-Path $repoRoot 'install.ps1') -Destination $Staging
    $null = New-InstallerModule -Destination (Join-Path $Staging 'Installer')
    Copy-IfPresent -Source (Join-Path $repoRoot 'docs') -Destination $Staging
}

function Get-PackageProblem {
    # The rules the package must meet, checked on the finished zip.
    param([Parameter(Mandatory)][string] $ZipPath, [Parameter(Mandatory)][string] $AgentSource)

    $archive = [System.IO.Compression.ZipFile]::OpenRead($ZipPath)
    try {
        $entries = @($archive.Entries | ForEach-Object { $_.FullName -replace '\\', '/' })
    }
    finally {
        $archive.Dispose()
    }
    $required = @('install.ps1', 'Installer/ExchangeEncryptionAgent.Installer.psm1', 'Installer/ExchangeEncryptionAgent.Installer.psd1', 'agent/NLog.config')
    $required += @(Get-ChildItem -LiteralPath $AgentSource -Filter '*.dll' -File | Where-Object { -not (Test-Forbidden -Name $_.Name) } | ForEach-Object { "agent/$($_.Name)" })
    foreach ($entry in $required) {
        if ($entries -notcontains $entry) { "missing: $entry" }
    }
    foreach ($entry in $entries) {
        $leaf = ($entry -split '/')[-1]
        if ($leaf -and (Test-Forbidden -Name $leaf)) { "forbidden: $entry" }
        if ($entry -like 'Installer/Tests/*' -or $entry -like 'Installer/Public/*' -or $entry -like 'Installer/Private/*') { "forbidden: $entry" }
    }
}

Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
$version = Get-PackageVersion
if (-not $OutputDirectory) {
    $OutputDirectory = Join-Path $repoRoot 'artifacts'
}
if ($ModuleOnly) {
    return New-InstallerModule -Destination $OutputDirectory
}
if (-not $AgentOutputPath) {
    $AgentOutputPath = Join-Path (Join-Path (Join-Path (Join-Path $repoRoot 'Agent') 'bin') $Configuration) 'net48'
}
if (-not $NoBuild) {
    Invoke-SolutionBuild
}

$null = New-Item -ItemType Directory -Path $OutputDirectory -Force
$output = (Resolve-Path -LiteralPath $OutputDirectory).Path
$stagingRoot = Join-Path $output ".staging-$([guid]::NewGuid().ToString('N'))"
$staging = Join-Path $stagingRoot "$packageName-$version"
$null = New-Item -ItemType Directory -Path $staging -Force
$zip = Join-Path $output "$packageName-$version.zip"
if (Test-Path -LiteralPath $zip) {
    Remove-Item -LiteralPath $zip -Force
}
try {
    New-PackageLayout -Staging $staging -AgentSource $AgentOutputPath
    [System.IO.Compression.ZipFile]::CreateFromDirectory($staging, $zip, [System.IO.Compression.CompressionLevel]::Optimal, $false)
}
finally {
    Remove-Item -LiteralPath $stagingRoot -Recurse -Force
}

$problems = @(Get-PackageProblem -ZipPath $zip -AgentSource $AgentOutputPath)
if ($problems.Count -gt 0) {
    throw "The package $zip breaks the packaging rules:$([Environment]::NewLine)$($problems -join [Environment]::NewLine)"
}
Get-Item -LiteralPath $zip
