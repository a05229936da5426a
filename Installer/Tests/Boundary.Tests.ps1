<#
    The small functions at the module's edge, run for real with only the commands beneath them replaced, and
    Test-EncryptionPolicy end to end against a real compiled validator assembly.
#>
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Test-EncryptionPolicy' {
    BeforeAll {
        # A stand-in for the agent's net48 assembly, compiled here: the same public type and method, so the module's
        # loading and reflection run for real. Its own file name: Installer.Examples.Tests.ps1 loads the real agent
        # (ExchangeEncryptionAgent) into this same process, and two assemblies of one name cannot both load.
        $script:ValidatorDll = Join-Path $TestDrive 'StandInAgent.dll'
        Add-Type -OutputAssembly $ValidatorDll -OutputType Library -TypeDefinition @'
namespace ExchangeEncryptionAgent.Activation
{
    public sealed class PolicyInventoryResult
    {
        public string PolicyPath;
        public string[] Errors = new string[0];
        public string[] Files = new string[0];
        public string[] Folders = new string[0];
        public string[] AbsolutePaths = new string[0];
        public string[] WritableFolders = new string[0];
        public string ForcedTlsAddressSpace;
        public string ForcedTlsDomain;
    }

    public static class PolicyInventory
    {
        public static PolicyInventoryResult Read(string path)
        {
            string text = System.IO.File.ReadAllText(path);
            if (text.Contains("explode")) { throw new System.InvalidOperationException("reader bug"); }
            var result = new PolicyInventoryResult();
            result.PolicyPath = path;
            if (text.Contains("<Rule Name=\"bad\"")) { result.Errors = new[] { path + ":3:4: rule 'bad': Priority is missing.", path + ":3:4: rule 'bad': no action." }; }
            if (text.Contains("references")) {
                string folder = System.IO.Path.GetDirectoryName(path);
                result.Files = new[] { System.IO.Path.Combine(folder, "pki/root.crt"), "/srv/keys/org.pfx" };
                result.Folders = new[] { System.IO.Path.Combine(folder, "pki/partners") };
                result.AbsolutePaths = new[] { "/srv/keys/org.pfx" };
                result.WritableFolders = new[] { System.IO.Path.Combine(folder, "pki/partners") };
                result.ForcedTlsAddressSpace = "tls.contoso.invalid";
            }
            return result;
        }
    }
}
'@
       $script:OtherDll = Join-Path $TestDrive 'NoValidator.dll'
        Add-Type -OutputAssembly $OtherDll -OutputType Library -TypeDefinition 'namespace Elsewhere { public static class Nothing { } }'
        $script:Good = Join-Path $TestDrive 'good.xml'
        Set-Content -LiteralPath $Good -Value '<Policy xmlns="urn:exchange-encryption-agent:policy:v1"><Rules><Rule Name="ok" /></Rules></Policy>'
    }

    It 'returns IsValid and no errors for a valid policy' {
        $result = Test-EncryptionPolicy -Path $Good -AgentAssemblyPath $ValidatorDll
        $result.IsValid | Should -BeTrue
        $result.Errors | Should -BeNullOrEmpty
        $result.Path | Should -Be $Good
    }

    It 'returns every error the validator reports, as it reports them' {
        $bad = Join-Path $TestDrive 'bad.xml'
        Set-Content -LiteralPath $bad -Value "<Policy>`n<Rules>`n<Rule Name=""bad"" /></Rules></Policy>"
        $result = Test-EncryptionPolicy -Path $bad -AgentAssemblyPath $ValidatorDll
        $result.IsValid | Should -BeFalse
        $result.Errors | Should -Be @("${bad}:3:4: rule 'bad': Priority is missing.", "${bad}:3:4: rule 'bad': no action.")
    }

    It 'resolves a relative policy path before handing it to .NET' {
        Push-Location $TestDrive
        try {
            (Test-EncryptionPolicy -Path 'good.xml' -AgentAssemblyPath $ValidatorDll).Path | Should -Be $Good
        }
        finally {
            Pop-Location
        }
    }

    It 'reports a missing policy file without loading anything' {
        Mock -ModuleName $InstallerModuleName Import-AgentAssembly { throw 'must not load' }
        $result = Test-EncryptionPolicy -Path (Join-Path $TestDrive 'absent.xml') -AgentAssemblyPath $ValidatorDll
        $result.IsValid | Should -BeFalse
        $result.Errors[0] | Should -BeLike '*absent.xml: the policy file does not exist.'
    }

    It 'explains a validator that throws' {
        $explode = Join-Path $TestDrive 'explode.xml'
        Set-Content -LiteralPath $explode -Value '<Policy><!-- explode --></Policy>'
        { Test-EncryptionPolicy -Path $explode -AgentAssemblyPath $ValidatorDll } | Should -Throw '*agent failed to read the policy*explode.xml*reader bug*'
    }

    It 'reads what a policy references and its forced-TLS settings from the agent assembly, never from the XML' {
        $policy = Join-Path $TestDrive 'references.xml'
        Set-Content -LiteralPath $policy -Value '<Policy><!-- references --></Policy>'
        InModuleScope $InstallerModuleName -Parameters @{ Policy = $policy; Dll = $ValidatorDll; Root = $TestDrive } {
            param($Policy, $Dll, $Root)
            $inventory = Get-PolicyInventory -Path $Policy -AgentAssemblyPath $Dll
            $references = @(ConvertTo-PolicyReference -Inventory $inventory)
            @($references | ForEach-Object { $_.SourcePath }) | Should -Be @((Join-Path $Root 'pki/root.crt'), '/srv/keys/org.pfx', (Join-Path $Root 'pki/partners'))
            @($references | ForEach-Object { $_.IsRelative }) | Should -Be @($true, $false, $true)
            @($references | ForEach-Object { $_.IsFolder }) | Should -Be @($false, $false, $true)
            @($references | ForEach-Object { $_.IsWritable }) | Should -Be @($false, $false, $true)
            @($references | ForEach-Object { $_.RelativePath }) | Should -Be @('pki/root.crt', $null, 'pki/partners')
            $forcedTls = ConvertTo-ForcedTlsSetting -Inventory $inventory
            $forcedTls.AddressSpace | Should -Be 'tls.contoso.invalid'
            $forcedTls.TlsDomain | Should -BeNullOrEmpty
        }
    }
    It 'explains an agent assembly without the validator' {
        { Test-EncryptionPolicy -Path $Good -AgentAssemblyPath $OtherDll } | Should -Throw '*has no ExchangeEncryptionAgent.Activation.PolicyInventory*same release package*'
    }

    It 'explains an agent assembly that cannot be loaded, and how to unblock a download' {
        $corrupt = Join-Path $TestDrive 'Corrupt.dll'
        [System.IO.File]::WriteAllBytes($corrupt, [byte[]](0x4D, 0x5A, 1, 2, 3))
        { Test-EncryptionPolicy -Path $Good -AgentAssemblyPath $corrupt } | Should -Throw '*Could not load*Corrupt.dll*Unblock-File*'
    }

    It 'explains a missing agent assembly' {
        { Test-EncryptionPolicy -Path $Good -AgentAssemblyPath (Join-Path $TestDrive 'absent.dll') } | Should -Throw '*absent.dll*does not exist*needed to validate*'
    }
}

Describe 'Boundary functions' {
    It 'Remove-AgentItem says what to do when a file is held open' {
        InModuleScope $InstallerModuleName {
            Mock Remove-Item { throw 'The process cannot access the file because it is being used by another process.' }
            { Remove-AgentItem -Path 'C:\agents\ExchangeEncryptionAgent.dll' } | Should -Throw '*being used by another process*still holds it open: close it and run install.ps1 again*'
        }
    }

    It 'Copy-AgentFile creates the destination folder' {
        InModuleScope $InstallerModuleName -Parameters @{ Root = $TestDrive } {
            param($Root)
            $source = Join-Path $Root 'source.txt'
            Set-Content -LiteralPath $source -Value 'x'
            $destination = Join-Path (Join-Path (Join-Path $Root 'a') 'b') 'copy.txt'
            Copy-AgentFile -Source $source -Destination $destination
            Get-Content -LiteralPath $destination | Should -Be 'x'
        }
    }

    It 'Get-TransportServiceAccount reads the service''s account and names NETWORK SERVICE one way' -ForEach @(
        @{ StartName = 'NT AUTHORITY\NetworkService'; Expected = 'NT AUTHORITY\NETWORK SERVICE' }
        @{ StartName = 'LocalSystem'; Expected = 'NT AUTHORITY\SYSTEM' }
        @{ StartName = 'CONTOSO\svc-transport'; Expected = 'CONTOSO\svc-transport' }
        @{ StartName = $null; Expected = 'NT AUTHORITY\NETWORK SERVICE' }
    ) {
        Mock -ModuleName $InstallerModuleName Get-CimInstance { [pscustomobject]@{ Name = 'MSExchangeTransport'; StartName = $StartName } }
        InModuleScope $InstallerModuleName { Get-TransportServiceAccount } | Should -Be $Expected
        Should -Invoke -ModuleName $InstallerModuleName Get-CimInstance -ParameterFilter { $ClassName -eq 'Win32_Service' -and $Filter -eq "Name='MSExchangeTransport'" }
    }

    It 'names service accounts by SID, which localised Windows does not translate' {
        InModuleScope $InstallerModuleName {
            Get-WellKnownAccountSid -Account 'NT AUTHORITY\NETWORK SERVICE' | Should -Be 'S-1-5-20'
            Get-WellKnownAccountSid -Account 'NT AUTHORITY\NetworkService' | Should -Be 'S-1-5-20'
            Get-WellKnownAccountSid -Account 'LocalSystem' | Should -Be 'S-1-5-18'
            Get-WellKnownAccountSid -Account 'CONTOSO\svc-transport' | Should -BeNullOrEmpty
        }
    }

    It 'Get-TransportServiceState reports the service status, or NotInstalled' {
        Mock -ModuleName $InstallerModuleName Get-Service { [pscustomobject]@{ Name = 'MSExchangeTransport'; Status = 'Stopped' } }
        InModuleScope $InstallerModuleName { Get-TransportServiceState } | Should -Be 'Stopped'
        Mock -ModuleName $InstallerModuleName Get-Service { }
        InModuleScope $InstallerModuleName { Get-TransportServiceState } | Should -Be 'NotInstalled'
    }

    It 'Get-DotNetFrameworkRelease reads the registry, 0 when .NET 4.x is absent' {
        Mock -ModuleName $InstallerModuleName Get-ItemProperty { [pscustomobject]@{ Release = 533320 } } -ParameterFilter { $LiteralPath -eq 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' }
        InModuleScope $InstallerModuleName { Get-DotNetFrameworkRelease } | Should -Be 533320
        Mock -ModuleName $InstallerModuleName Get-ItemProperty { } -ParameterFilter { $LiteralPath -eq 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' }
        InModuleScope $InstallerModuleName { Get-DotNetFrameworkRelease } | Should -Be 0
    }

    It 'Test-IsLocalServer knows this server by short name, FQDN and localhost' {
        Mock -ModuleName $InstallerModuleName Get-LocalServerName { 'EX01' }
        InModuleScope $InstallerModuleName {
            Test-IsLocalServer -Name 'EX01' | Should -BeTrue
            Test-IsLocalServer -Name 'ex01.contoso.com' | Should -BeTrue
            Test-IsLocalServer -Name 'localhost' | Should -BeTrue
            Test-IsLocalServer -Name 'EX02' | Should -BeFalse
            Test-IsLocalServer -Name 'EX011' | Should -BeFalse
        }
    }

    It 'Import-ExchangeManagement opens this server''s own endpoint only when the cmdlets are missing, never the snap-in' {
        Mock -ModuleName $InstallerModuleName Connect-ExchangeEndpoint { }
        Mock -ModuleName $InstallerModuleName Get-LocalServerFqdn { 'ex01.contoso.com' }
        Mock -ModuleName $InstallerModuleName Test-ExchangeManagementLoaded { $true }
        InModuleScope $InstallerModuleName { Import-ExchangeManagement }
        Should -Invoke -ModuleName $InstallerModuleName Connect-ExchangeEndpoint -Times 0 -Exactly
        Mock -ModuleName $InstallerModuleName Test-ExchangeManagementLoaded { $false }
        InModuleScope $InstallerModuleName { Import-ExchangeManagement }
        Should -Invoke -ModuleName $InstallerModuleName Connect-ExchangeEndpoint -Times 1 -Exactly -ParameterFilter { $ServerFqdn -eq 'ex01.contoso.com' }
        (Get-Content -Raw -LiteralPath $InstallerModulePath) | Should -Not -Match 'Add-PSSnapin'
    }

    It 'Connect-ExchangeEndpoint opens Microsoft''s remote PowerShell endpoint with Kerberos and imports it for the session' {
        Mock -ModuleName $InstallerModuleName New-PSSession { [pscustomobject]@{ Id = 7 } }
        Mock -ModuleName $InstallerModuleName Import-PSSession { New-Module -Name 'FakeExchangeProxy' -ScriptBlock { } } -RemoveParameterType 'Session'
        Mock -ModuleName $InstallerModuleName Import-Module { }
        $credential = New-Object System.Management.Automation.PSCredential -ArgumentList 'CONTOSO\exadmin', (ConvertTo-SecureString 'not-a-real-password' -AsPlainText -Force)
        InModuleScope $InstallerModuleName -Parameters @{ Credential = $credential } { param($Credential) Connect-ExchangeEndpoint -ServerFqdn 'ex01.contoso.com' -Credential $Credential }
        Should -Invoke -ModuleName $InstallerModuleName New-PSSession -Times 1 -Exactly -ParameterFilter {
            $ConfigurationName -eq 'Microsoft.Exchange' -and $ConnectionUri -eq 'http://ex01.contoso.com/PowerShell/' -and $Authentication -eq 'Kerberos' -and $Credential.UserName -eq 'CONTOSO\exadmin'
        }
        Should -Invoke -ModuleName $InstallerModuleName Import-PSSession -Times 1 -Exactly -ParameterFilter { $Session.Id -eq 7 -and $AllowClobber }
        Should -Invoke -ModuleName $InstallerModuleName Import-Module -Times 1 -Exactly -ParameterFilter { $Global }
    }

    It 'Get-TargetPriority keeps an agent already after the Transport Rule agent and moves one before it' {
        InModuleScope $InstallerModuleName {
            Get-TargetPriority -Requested $null -Current 8 -TransportRulePriority 1 | Should -BeNullOrEmpty
            Get-TargetPriority -Requested $null -Current 1 -TransportRulePriority 3 | Should -Be 3
            Get-TargetPriority -Requested 5 -Current 8 -TransportRulePriority 1 | Should -Be 5
            Get-TargetPriority -Requested 0 -Current 8 -TransportRulePriority 1 | Should -Be 0
            Get-TargetPriority -Requested $null -Current 4 -TransportRulePriority $null | Should -BeNullOrEmpty
        }
    }
}

Describe 'Status' {
    BeforeEach {
        Use-FakeExchange
        $script:TestPackage = New-TestPackage
        $script:InstallPath = Get-TestInstallPath
    }

    It 'reports a server without the agent' {
        $status = Invoke-TestSetup -Action Status
        $status.Installed | Should -BeFalse
        $status.Enabled | Should -BeFalse
        $status.InstalledVersion | Should -BeNullOrEmpty
        $status.PackageVersion | Should -Be '1.0.0'
        $status.EventSourceRegistered | Should -BeFalse
        $status.TransportServiceState | Should -Be 'Running'
    }

    It 'reports an installed server, as objects, and changes nothing' {
        $null = Invoke-TestSetup
        Clear-FakeCall
        $status = Invoke-TestSetup -Action Status
        Get-CallName -Mutating | Should -BeNullOrEmpty
        $status.Server | Should -Be 'EX01'
        $status.Installed | Should -BeTrue
        $status.Enabled | Should -BeTrue
        $status.Priority | Should -Be 7
        $status.AssemblyPath | Should -Be (Join-Path $InstallPath 'ExchangeEncryptionAgent.dll')
        $status.InstalledVersion | Should -Be '1.0.0'
        $status.MatchesPackage | Should -BeTrue
        $status.EventSourceRegistered | Should -BeTrue
        $status.PolicyValid | Should -BeTrue
        $status.PolicyErrors | Should -BeNullOrEmpty
        $status.ForcedTlsConnector | Should -Be $DefaultConnector
        $status.ConnectorHasServer | Should -BeTrue
    }

    It 'reports an installed policy the package''s validator rejects, with its errors' {
        $null = Invoke-TestSetup
        (Get-FakeOrganisation).InvalidPolicyPattern = 'Encrypt to partners'
        $status = Invoke-TestSetup -Action Status
        $status.PolicyValid | Should -BeFalse
        $status.PolicyErrors[0] | Should -BeLike "*rule 'Encrypt to partners'*"
    }

    It 'reports that a newer package differs from what is installed' {
        $null = Invoke-TestSetup
        $status = Invoke-TestSetup -Action Status -PackageRoot (New-TestPackage -Version '1.2.0')
        $status.MatchesPackage | Should -BeFalse
        $status.InstalledVersion | Should -Be '1.0.0'
        $status.PackageVersion | Should -Be '1.2.0'
    }
}
