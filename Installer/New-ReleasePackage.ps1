<#
.SYNOPSIS
    Builds the solution and writes artifacts/ExchangeEncryptionAgent-<version>.zip, the package administrators install from.

.DESCRIPTION
    The zip holds:
      agent/      ExchangeEncryptionAgent.dll (net48, what Exchange loads), every DLL beside it in the build output
                  (MimeKit, BouncyCastle.Cryptography, NLog, System.*: everything it loads) and NLog.config;
      Policies/   policy.xsd, default.xml and examples/, when they exist;
      install.ps1 and Installer/ (the module, without its tests);
      docs/.
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

.EXAMPLE
    pwsh -File Installer/New-ReleasePackage.ps1

    Builds Release and writes artifacts/ExchangeEncryptionAgent-<version>.zip.

.EXAMPLE
    pwsh -File Installer/New-ReleasePackage.ps1 -NoBuild -OutputDirectory /tmp/out

    Packages the existing Release build into /tmp/out.
#>
[CmdletBinding()]
param(
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release',
    [string] $OutputDirectory,
    [switch] $NoBuild,
    [string] $AgentOutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$repoRoot = Split-Path -Parent $PSScriptRoot
$packageName = 'ExchangeEncryptionAgent'

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

function New-PackageLayout {
    param([string] $Staging, [string] $AgentSource)

    Copy-AgentFolder -Source $AgentSource -Destination (Join-Path $Staging 'agent')
    Copy-IfPresent -Source (Join-Path $repoRoot 'Policies') -Destination $Staging
    Copy-Item -LiteralPath (Join-Path $repoRoot 'install.ps1') -Destination $Staging
    $installer = New-Item -ItemType Directory -Path (Join-Path $Staging 'Installer') -Force
    foreach ($name in @('ExchangeEncryptionAgent.Installer.psm1', 'ExchangeEncryptionAgent.Installer.psd1')) {
        Copy-Item -LiteralPath (Join-Path $PSScriptRoot $name) -Destination $installer.FullName
    }
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
        if ($entry -like 'Installer/Tests/*') { "forbidden: $entry" }
    }
}

Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
$version = Get-PackageVersion
if (-not $OutputDirectory) {
    $OutputDirectory = Join-Path $repoRoot 'artifacts'
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
