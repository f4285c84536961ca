window.YTD.account.part0 = [
  {
    "account" : {
      "email" : null,
      "createdVia" : "web",
      "username" : "acme_fan",
      "accountId" : "42",
      "createdAt" : "2010-02-09T17:10:05.000Z",
      "accountDisplayName" : "Acme Fan"
    }
  }
]
