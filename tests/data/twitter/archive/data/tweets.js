window.YTD.tweets.part0 = [
  {
    "tweet" : {
      "id_str" : "1001",
      "id" : "1001",
      "created_at" : "Thu Nov 03 08:50:26 +0000 2022",
      "full_text" : "The new Acme router drops wifi every hour &amp; support is slow https://t.co/abc #AcmeRouter",
      "lang" : "en",
      "favorite_count" : "5",
      "retweet_count" : "1",
      "entities" : {
        "hashtags" : [ { "text" : "AcmeRouter", "indices" : [ "70", "81" ] } ],
        "urls" : [ { "url" : "https://t.co/abc", "expanded_url" : "https://acme.test/router", "indices" : [ "50", "66" ] } ],
        "user_mentions" : [ ]
      }
    }
  },
  {
    "tweet" : {
      "id_str" : "1002",
      "created_at" : "Wed Nov 02 21:30:39 +0000 2022",
      "full_text" : "@AcmeHelp thanks, the firmware update fixed it",
      "lang" : "en",
      "favorite_count" : "0",
      "retweet_count" : "0",
      "in_reply_to_screen_name" : "AcmeHelp",
      "entities" : { "hashtags" : [ ], "urls" : [ ] }
    }
  },
  {
    "tweet" : {
      "id_str" : "1003",
      "created_at" : "Wed Nov 02 20:00:00 +0000 2022",
      "full_text" : "RT @someone: not my words",
      "favorite_count" : "0",
      "retweet_count" : "0"
    }
  }
]
