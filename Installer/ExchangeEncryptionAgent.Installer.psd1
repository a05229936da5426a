@{
    # The module behind install.ps1. Runs in the Exchange Management Shell (Windows PowerShell 5.1).
    RootModule           = 'ExchangeEncryptionAgent.Installer.psm1'
    ModuleVersion        = '1.0.0'
    GUID                 = '5d0f7a52-1a4e-4b8e-9f2e-0c6f3f6a9b41'
    Author               = 'ExchangeEncryptionAgent authors'
    CompanyName          = 'ExchangeEncryptionAgent'
    Copyright            = 'Copyright (c) ExchangeEncryptionAgent authors'
    Description          = 'Installs, upgrades, removes and reports the ExchangeEncryptionAgent transport agent on Exchange Server 2016, 2019 and Subscription Edition.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FunctionsToExport    = @(
        'Invoke-EncryptionAgentSetup',
        'Install-EncryptionAgent',
        'Update-EncryptionAgent',
        'Uninstall-EncryptionAgent',
        'Get-EncryptionAgentStatus',
        'Test-EncryptionPolicy'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
